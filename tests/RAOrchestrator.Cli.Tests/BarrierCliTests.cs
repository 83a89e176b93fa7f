using System.Text.Json.Nodes;
using RAOrchestrator.Cli.Tests.Infrastructure;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class BarrierCliTests(CliFixture fixture) : IDisposable
{
    private readonly string _partner = Tenants.NewPartner();
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"barriers-{Guid.NewGuid():N}.yaml");

    [Fact]
    public async Task Barriers_apply_brings_segments_and_policies_to_the_file_applies_them_and_export_gives_the_powershell()
    {
        var tenant = await Tenants.OnboardAsync(fixture, _partner);
        await Tenants.AddTechnicianAsync(fixture.Emulator, tenant.Split('/')[1], department: "Field-Technicians");
        await File.WriteAllTextAsync(_file, """
            segments:
              - id: field-technicians
                filter: "Department -eq 'Field-Technicians'"
              - id: finance
                filter: "Department -eq 'Finance'"
            policies:
              - id: technicians-block-finance
                assigned_segment: field-technicians
                kind: block
                segments: [finance]
              - id: finance-block-technicians
                assigned_segment: finance
                kind: block
                segments: [field-technicians]
            """);
        using var cli = new CliRunner(fixture, fixture.Token(_partner));

        var applied = await cli.RunAsync("barriers", "apply", tenant, "--file", _file);

        Assert.True(applied.ExitCode == ExitCodes.Ok, applied.ToString());
        Assert.Contains($"{tenant}/segments/finance: created", applied.Error, StringComparison.Ordinal);
        Assert.Contains($"{tenant}/barrierPolicies/technicians-block-finance: created", applied.Error, StringComparison.Ordinal);
        Assert.Matches(@"State:\s+succeeded", applied.Out);
        using var api = fixture.Api(_partner);
        var policies = (await api.Barriers.ListBarrierPoliciesAsync(new ListBarrierPoliciesRequest { Parent = tenant })).BarrierPolicies;
        Assert.Equal(2, policies.Count);
        Assert.All(policies, p => Assert.Equal(BarrierPolicy.Types.State.Active, p.State));

        // The same file again changes nothing; a changed filter is updated.
        await File.WriteAllTextAsync(_file, (await File.ReadAllTextAsync(_file)).Replace("'Finance'", "'Finance-EU'", StringComparison.Ordinal));
        var again = await cli.RunAsync("barriers", "apply", tenant, "-f", _file, "-o", "json");
        Assert.True(again.ExitCode == ExitCodes.Ok, again.ToString());
        Assert.Contains($"{tenant}/segments/finance: updated", again.Error, StringComparison.Ordinal);
        Assert.Contains($"{tenant}/segments/field-technicians: unchanged", again.Error, StringComparison.Ordinal);
        Assert.Equal("STATE_SUCCEEDED", (string?)JsonNode.Parse(again.Out)!["state"]);

        var segments = await cli.RunAsync("barriers", "segments", tenant, "-o", "json");
        Assert.Equal(["Department -eq 'Field-Technicians'", "Department -eq 'Finance-EU'"],
            JsonNode.Parse(segments.Out)!["segments"]!.AsArray().Select(s => (string?)s!["userGroupFilter"]));

        var script = Path.Combine(Path.GetTempPath(), $"barriers-{Guid.NewGuid():N}.ps1");
        var export = await cli.RunAsync("barriers", "export", tenant, "--out", script);
        Assert.True(export.ExitCode == ExitCodes.Ok, export.ToString());
        var powershell = await File.ReadAllTextAsync(script);
        File.Delete(script);
        Assert.Equal((await api.Barriers.ExportBarrierPoliciesAsync(new ExportBarrierPoliciesRequest { Parent = tenant })).Script, powershell);
        Assert.Contains("New-OrganizationSegment", powershell, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_the_service_refuses_is_named_in_the_error_after_what_was_created_before_it()
    {
        var tenant = await Tenants.OnboardAsync(fixture, _partner);
        await File.WriteAllTextAsync(_file, """
            segments:
              - id: vendors
                filter: "Department -eq 'Vendors'"
            policies:
              - id: vendors-allow
                assigned_segment: vendors
                kind: allow
                segments: [nobody-else]
            """);
        using var cli = new CliRunner(fixture, fixture.Token(_partner));

        var applied = await cli.RunAsync("barriers", "apply", tenant, "--file", _file);

        Assert.True(applied.ExitCode == ExitCodes.Conflict, applied.ToString());
        Assert.StartsWith($"{tenant}/segments/vendors: created", applied.Error, StringComparison.Ordinal);
        Assert.Contains("error: policy vendors-allow: Policy 'vendors-allow' lists segment 'nobody-else'", applied.Error, StringComparison.Ordinal);
        Assert.Contains("[FAILED_PRECONDITION POLICY_UNKNOWN_SEGMENT]", applied.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tenant_runbook_prints_the_powershell_for_the_teams_settings_that_are_not_confirmed()
    {
        var id = await Tenants.AddAsync(fixture.Emulator);
        using var api = fixture.Api(_partner);
        var created = await api.Tenants.CreateTenantAsync(new CreateTenantRequest { TenantId = id, Tenant = new Tenant { DisplayName = "Unconfirmed" } });
        await Client.OperationWatching.WatchUntilDoneAsync(api.Operations, created.Operation.Name);
        using var cli = new CliRunner(fixture, fixture.Token(_partner));

        var runbook = await cli.RunAsync("tenants", "runbook", id);

        Assert.True(runbook.ExitCode == ExitCodes.Ok, runbook.ToString());
        Assert.Equal((await api.Tenants.GetTenantRunbookAsync(new GetTenantRunbookRequest { Name = created.Tenant.Name })).Script.TrimEnd('\n') + "\n", runbook.Out);
        Assert.Contains("Set-CsTeamsMeetingConfiguration", runbook.Out, StringComparison.Ordinal);
    }

    public void Dispose() => File.Delete(_file);
}
