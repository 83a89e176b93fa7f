using RAOrchestrator.Cli.Errors;
using RAOrchestrator.Cli.Manifests;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Cli.Tests;

/// <summary>Manifests read without a service: fields, quoting, defaults, and problems named by line.</summary>
public sealed class ManifestReaderTests
{
    private static readonly string Id1 = Guid.NewGuid().ToString();
    private static readonly string Id2 = Guid.NewGuid().ToString();

    [Fact]
    public void Csv_fields_in_quotes_keep_their_commas_quotes_and_line_breaks_and_entries_keep_the_line_they_start_on()
    {
        var csv = $"tenant_id,display_name,external_access_allowed_tenants\n{Id1},\"Multi\nline, \"\"quoted\"\"\",{Id2};{Id1}\n# comment\n{Id2},Plain,\n";

        var manifest = ManifestReader.ReadCsv("t.csv", new StringReader(csv));

        Assert.Equal([2, 5], manifest.Entries.Select(e => e.Line));
        Assert.Equal("Multi\nline, \"quoted\"", manifest.Entries[0].Tenant.Tenant.DisplayName);
        Assert.Equal([Id2, Id1], manifest.Entries[0].Tenant.Tenant.ExternalAccessAllowedTenants);
        Assert.Equal("t.csv line 5 display_name", manifest.DescribeField("tenants[1].tenant.display_name"));
    }

    [Fact]
    public void A_mail_sender_column_sets_the_tenants_sender_mailbox()
    {
        var manifest = ManifestReader.ReadCsv("t.csv", new StringReader($"tenant_id,display_name,mail_sender\n{Id1},Company ABC,remote-assist@companyabc.com\n"));

        Assert.Equal("remote-assist@companyabc.com", Assert.Single(manifest.Entries).Tenant.Tenant.MailSender);
    }

    [Fact]
    public void Csv_quoted_fields_keep_their_leading_and_trailing_spaces_and_unquoted_ones_are_trimmed()
    {
        var csv = $"tenant_id,display_name\n {Id1} ,\"  Contoso  Ltd \"\n";

        var manifest = ManifestReader.ReadCsv("t.csv", new StringReader(csv));

        Assert.Equal(Id1, manifest.Entries[0].Tenant.TenantId);
        Assert.Equal("  Contoso  Ltd ", manifest.Entries[0].Tenant.Tenant.DisplayName);
    }

    [Fact]
    public void Csv_with_semicolons_between_fields_is_read_like_one_with_commas()
    {
        var csv = $"tenant_id;display_name;external_access_allowed_tenants\n{Id1};\"Fabrikam; \"\"East\"\"\nWing\";\"{Id2},{Id1}\"\n# comment\n\n{Id2};Plain;\n";

        var manifest = ManifestReader.ReadCsv("t.csv", new StringReader(csv));

        Assert.Equal([2, 6], manifest.Entries.Select(e => e.Line));
        Assert.Equal("Fabrikam; \"East\"\nWing", manifest.Entries[0].Tenant.Tenant.DisplayName);
        Assert.Equal([Id2, Id1], manifest.Entries[0].Tenant.Tenant.ExternalAccessAllowedTenants);
        Assert.Equal("Plain", manifest.Entries[1].Tenant.Tenant.DisplayName);
    }

    [Fact]
    public void Csv_with_windows_line_ends_keeps_the_lines_entries_start_on()
    {
        var csv = $"tenant_id;display_name\r\n# comment\r\n{Id1};\"Two\r\nlines\"\r\n\r\n{Id2};Next\r\n";

        var manifest = ManifestReader.ReadCsv("t.csv", new StringReader(csv));

        Assert.Equal([3, 6], manifest.Entries.Select(e => e.Line));
        Assert.Equal("Next", manifest.Entries[1].Tenant.Tenant.DisplayName);
    }

    [Fact]
    public void Csv_problems_are_all_reported_with_the_line_their_row_starts_on()
    {
        var csv = $"tenant_id,display_name,anonymous_join\n{Id1},\"Two\nlines\",maybe\n{Id2},Short\n{Id2},B,on,extra\n{Id1},\"never closed\n";

        var ex = Assert.Throws<CliException>(() => ManifestReader.ReadCsv("t.csv", new StringReader(csv)));

        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
        Assert.StartsWith("line 2: anonymous_join is 'maybe'", ex.Details[0], StringComparison.Ordinal);
        Assert.Equal("line 4: 2 fields where the header has 3", ex.Details[1]);
        Assert.Equal("line 5: 4 fields where the header has 3", ex.Details[2]);
        Assert.Equal("line 6: a quoted field is not closed", ex.Details[3]);
        Assert.Equal(4, ex.Details.Count);
    }

    [Fact]
    public void Yaml_defaults_apply_to_every_tenant_unless_the_tenant_sets_the_field()
    {
        var yaml = $"""
            max_parallelism: 8
            defaults:
              anonymous_join: on
              lobby_bypass: everyone
            tenants:
              - tenant_id: {Id1}
                display_name: First
              - tenant_id: {Id2}
                display_name: Second
                anonymous_join: off
                external_access_allowed_tenants: [{Id1}]
            """;

        var manifest = ManifestReader.ReadYaml("t.yaml", new StringReader(yaml));
        var request = manifest.ToRequest(requestId: null, maxParallelism: null);

        Assert.Equal(8, request.MaxParallelism);
        Assert.Equal([6, 8], manifest.Entries.Select(e => e.Line));
        Assert.Equal(MeetingSettings.Types.Switch.On, request.Tenants[0].Tenant.MeetingSettings.AnonymousJoin);
        Assert.Equal(MeetingSettings.Types.Switch.Off, request.Tenants[1].Tenant.MeetingSettings.AnonymousJoin);
        Assert.All(request.Tenants, t => Assert.Equal(MeetingSettings.Types.LobbyBypass.Everyone, t.Tenant.MeetingSettings.LobbyBypass));
        Assert.Equal([Id1], request.Tenants[1].Tenant.ExternalAccessAllowedTenants);
    }

    [Fact]
    public void The_same_manifest_gives_the_same_request_id_and_a_changed_one_another()
    {
        var csv = $"tenant_id,display_name\n{Id1},A\n";
        var first = ManifestReader.ReadCsv("a.csv", new StringReader(csv)).ToRequest(null, null).RequestId;
        var again = ManifestReader.ReadCsv("b.csv", new StringReader(csv)).ToRequest(null, null).RequestId;
        var changed = ManifestReader.ReadCsv("a.csv", new StringReader(csv.Replace(",A", ",B", StringComparison.Ordinal))).ToRequest(null, null).RequestId;

        Assert.Equal(first, again);
        Assert.NotEqual(first, changed);
        Assert.Matches("^[A-Za-z0-9._-]{1,64}$", first);
    }

    [Fact]
    public void Yaml_problems_are_all_reported_with_their_lines()
    {
        var yaml = $"""
            tenant:
              - tenant_id: {Id1}
            tenants:
              - tenant_id: {Id1}
                auto_admitted_users: Anyone
              - just a string
            """;

        var ex = Assert.Throws<CliException>(() => ManifestReader.ReadYaml("t.yaml", new StringReader(yaml)));

        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
        Assert.Equal(3, ex.Details.Count);
        Assert.StartsWith("line 1: 'tenant' is not expected here", ex.Details[0], StringComparison.Ordinal);
        Assert.StartsWith("line 5: auto_admitted_users is 'Anyone'; use one of EveryoneInCompany", ex.Details[1], StringComparison.Ordinal);
        Assert.StartsWith("line 6: each tenant is a mapping", ex.Details[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_yaml_is_a_usage_error_naming_the_line()
    {
        var ex = Assert.Throws<CliException>(() => ManifestReader.ReadYaml("t.yaml", new StringReader("tenants:\n  - tenant_id: [unclosed\n")));

        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
        Assert.Contains("is not valid YAML: line", ex.Message, StringComparison.Ordinal);
    }
}
