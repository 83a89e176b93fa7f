using RAOrchestrator.Domain.Barriers;

namespace RAOrchestrator.Domain.Tests.Barriers;

public sealed class BarrierPowerShellTests
{
    private const string Nasty = "O'Brien \"the\" `$(whoami)` $env:PATH\r\nline2\tü 中文 😀 ‘smart’ ‚low‛ '' \"\" ;# -State Active";

    private static BarrierConfiguration Sample(BarrierSettings? settings = null)
    {
        var c = BarrierConfiguration.Empty(settings);
        c = c.AddSegment("Vendors-OEM", $"Company -eq '{Nasty.Replace("'", "''", StringComparison.Ordinal)}' -or MemberOf -eq 'g-1'").GetValueOrThrow();
        c = c.AddSegment("Field-Technicians", "Department -eq 'Field Service'").GetValueOrThrow();
        c = c.AddSegment("Finance", "(Department -eq 'Finance' -or Department -eq 'Controlling') -and UsageLocation -ne 'US'").GetValueOrThrow();
        c = c.AddSegment("Ünïcødé Segment", "Description -eq 'x'").GetValueOrThrow();
        c = c.AddPolicy(PolicyDefinition.Allow("Vendors allow", "Vendors-OEM", "Vendors-OEM", "Field-Technicians")).GetValueOrThrow();
        c = c.AddPolicy(PolicyDefinition.Allow("Finance allow", "Finance", "Finance", "Ünïcødé Segment")).GetValueOrThrow();
        return c.SetPolicyState("Vendors allow", PolicyState.Active).GetValueOrThrow();
    }

    [Fact]
    public void Export_then_parse_gives_back_the_same_configuration_even_with_nasty_values()
    {
        var config = Sample();
        var script = BarrierPowerShell.Export(config);
        var parsed = BarrierPowerShell.Parse(script);
        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Errors));
        Assert.Equal(config, parsed.Value);
        var filter = Assert.IsType<FilterGroup>(UserGroupFilter.Parse(parsed.Value!.FindSegment("Vendors-OEM")!.UserGroupFilter));
        Assert.Equal(Nasty, Assert.IsType<FilterComparison>(filter.Operands[0]).Value);
    }

    [Fact]
    public void Export_round_trips_multi_segment_and_block_configurations()
    {
        var multi = BarrierConfiguration.Empty(new BarrierSettings(BarrierMode.MultiSegment, BarrierGeneration.Modern));
        multi = multi.AddSegment("A", "MemberOf -eq 'a'").GetValueOrThrow().AddPolicy(PolicyDefinition.Allow("PA", "A", "A")).GetValueOrThrow();
        Assert.Equal(multi, BarrierPowerShell.Parse(BarrierPowerShell.Export(multi)).GetValueOrThrow());

        var block = BarrierConfiguration.Empty(new BarrierSettings(BarrierMode.SingleSegment, BarrierGeneration.Legacy));
        block = block.AddSegment("A", "Department -eq 'a'").GetValueOrThrow().AddSegment("B", "Department -eq 'b'").GetValueOrThrow()
            .AddPolicy(PolicyDefinition.Block("PA", "A", "B")).GetValueOrThrow().AddPolicy(PolicyDefinition.Block("PB", "B", "A")).GetValueOrThrow()
            .SetPolicyState("PB", PolicyState.Active).GetValueOrThrow();
        Assert.Equal(block, BarrierPowerShell.Parse(BarrierPowerShell.Export(block)).GetValueOrThrow());
    }

    [Fact]
    public void Export_creates_policies_inactive_then_activates_them_then_applies()
    {
        var script = BarrierPowerShell.Export(Sample());
        var lines = script.Split('\n');
        Assert.Contains("New-InformationBarrierPolicy -Name 'Vendors allow' -AssignedSegment 'Vendors-OEM' -SegmentsAllowed 'Vendors-OEM','Field-Technicians' -State Inactive", lines);
        Assert.Contains("Set-InformationBarrierPolicy -Identity 'Vendors allow' -State Active", lines);
        Assert.DoesNotContain("Set-InformationBarrierPolicy -Identity 'Finance allow' -State Active", lines);
        Assert.Equal("Start-InformationBarrierPoliciesApplication", lines[^2]);
        Assert.True(Array.FindIndex(lines, l => l.StartsWith("Set-", StringComparison.Ordinal)) > Array.FindLastIndex(lines, l => l.StartsWith("New-InformationBarrierPolicy", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("O'Brien", "'O''Brien'")]
    [InlineData("a’b", "'a’’b'")]
    [InlineData("$x `n \"y\"", "'$x `n \"y\"'")]
    public void Quoting_uses_single_quoted_literals_and_doubles_every_single_quote_character(string value, string quoted) =>
        Assert.Equal(quoted, BarrierPowerShell.Quote(value));

    [Fact]
    public void A_script_with_a_command_the_exporter_never_writes_is_refused_with_its_line()
    {
        var r = BarrierPowerShell.Parse("New-OrganizationSegment -Name 'A' -UserGroupFilter 'Department -eq ''a'''\nRemove-Item -Path 'C:\\'\n");
        var e = Assert.Single(r.Errors);
        Assert.Equal(BarrierRule.ScriptInvalid, e.Rule);
        Assert.Equal("line 2", e.Subject);
    }

    [Fact]
    public void A_parsed_script_is_held_to_the_configuration_rules()
    {
        var r = BarrierPowerShell.Parse("New-OrganizationSegment -Name 'A' -UserGroupFilter 'Department -eq ''a'''\nNew-OrganizationSegment -Name 'B' -UserGroupFilter 'Department -eq ''b'''\nNew-InformationBarrierPolicy -Name 'P' -AssignedSegment 'A' -SegmentsAllowed 'B' -State Inactive\n");
        Assert.Equal(BarrierRule.PolicyAllowListMissingOwnSegment, Assert.Single(r.Errors).Rule);
    }

    [Fact]
    public void An_unterminated_string_is_refused()
    {
        var r = BarrierPowerShell.Parse("New-OrganizationSegment -Name 'A -UserGroupFilter 'x'\n");
        Assert.Equal(BarrierRule.ScriptInvalid, Assert.Single(r.Errors).Rule);
    }
}
