using System.Text;
using System.Text.RegularExpressions;
using Google.Protobuf;
using RAOrchestrator.Cli.Tests.Infrastructure;
using RAOrchestrator.Client;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class BulkOnboardingCliTests(CliFixture fixture) : IDisposable
{
    private readonly string _partner = Tenants.NewPartner();
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("raorch-manifests-").FullName;

    [Fact]
    public async Task Onboarding_a_100_tenant_manifest_ends_with_a_summary_that_matches_the_tenants_the_api_lists()
    {
        var ready = await Task.WhenAll(Enumerable.Range(0, 90).Select(_ => Tenants.AddAsync(fixture.Emulator)));
        var noConsent = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Tenants.AddAsync(fixture.Emulator, consent: false)));
        var otherPartner = Tenants.NewPartner();
        var takenByOthers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            var id = await Tenants.AddAsync(fixture.Emulator);
            using var other = fixture.Api(otherPartner);
            await other.Tenants.CreateTenantAsync(new CreateTenantRequest { TenantId = id, Tenant = new Tenant { DisplayName = "Theirs" } });
            return id;
        }));
        var all = ready.Concat(noConsent).Concat(takenByOthers).OrderBy(_ => Random.Shared.Next()).ToArray();
        var manifest = Path.Combine(_dir, "tenants.yaml");
        var yaml = new StringBuilder("""
            # 100 customer tenants; their admins confirmed the Teams settings below.
            max_parallelism: 16
            defaults:
              anonymous_join: on
              organizer_anonymous_join: on
              auto_admitted_users: EveryoneInCompany
              lobby_bypass: organizer
            tenants:

            """);
        foreach (var id in all)
        {
            yaml.Append($"  - tenant_id: {id}\n    display_name: \"Customer {id[..8]}, Inc.\"\n");
        }

        await File.WriteAllTextAsync(manifest, yaml.ToString());
        using var cli = new CliRunner(fixture, fixture.Token(_partner));

        var run = await cli.RunAsync("onboard", manifest);

        // Some tenants did not become ACTIVE, so the result has failures: exit 1, with the summary on stdout.
        Assert.True(run.ExitCode == ExitCodes.Failures, run.ToString());
        Assert.Contains("Onboarding 100 tenants as operations/", run.Error, StringComparison.Ordinal);
        var table = (Outcome: Count(run.Out, "succeeded"), NeedsAttention: Count(run.Out, "needs attention"), Failed: Count(run.Out, "failed"), Total: Count(run.Out, "total"));
        // Every tenant waited for its administrator, whose approval raorch asked for; the four another partner managed
        // were handed over by theirs.
        Assert.Equal((94, 6, 0, 100), table);
        Assert.Equal(100, Regex.Matches(run.Error, "approval needed: send ").Count);

        // The same manifest again is the same bulk operation (its request id comes from the content): as JSON for a script.
        var again = await cli.RunAsync("onboard", manifest, "--output", "json");
        Assert.True(again.ExitCode == ExitCodes.Failures, again.ToString());
        var operation = JsonParser.Default.Parse<Operation>(again.Out);
        Assert.Equal(Operation.Types.State.Succeeded, operation.State);
        Assert.Equal((94, 6, 0, 0, 100), (operation.Bulk.Succeeded, operation.Bulk.NeedsAttention, operation.Bulk.Failed, operation.Bulk.Cancelled, operation.Bulk.Total));

        // The API's view: exactly the tenants the summary counts as succeeded are ACTIVE, those it says need attention are NEEDS_ATTENTION.
        using var api = fixture.Api(_partner);
        var listed = new List<Tenant>();
        await foreach (var tenant in api.Tenants.ListAllTenantsAsync())
        {
            listed.Add(tenant);
        }

        Assert.Equal(ready.Concat(takenByOthers).Order(StringComparer.Ordinal), listed.Where(t => t.State == Tenant.Types.State.Active).Select(t => t.TenantId).Order(StringComparer.Ordinal));
        Assert.Equal(
            operation.Bulk.ItemResults.Where(r => r.Outcome == "NEEDS_ATTENTION").Select(r => r.Target).Order(StringComparer.Ordinal),
            listed.Where(t => t.State == Tenant.Types.State.NeedsAttention).Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Equal(noConsent.Select(id => "tenants/" + id).Order(StringComparer.Ordinal), listed.Where(t => t.State == Tenant.Types.State.NeedsAttention).Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Equal(operation.Bulk.Succeeded + operation.Bulk.NeedsAttention, listed.Count);
        Assert.All(listed, t => Assert.Equal($"Customer {t.TenantId[..8]}, Inc.", t.DisplayName));

        // And raorch's own list agrees with the API.
        var cliList = await cli.RunAsync("tenants", "list", "-o", "json");
        Assert.Equal(ExitCodes.Ok, cliList.ExitCode);
        Assert.Equal(listed.Select(t => t.Name), System.Text.Json.Nodes.JsonNode.Parse(cliList.Out)!["tenants"]!.AsArray().Select(t => (string?)t!["name"]));
    }

    [Fact]
    public async Task A_csv_manifest_whose_tenants_all_become_active_exits_0()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Tenants.AddAsync(fixture.Emulator)));
        var manifest = Path.Combine(_dir, "tenants.csv");
        await File.WriteAllLinesAsync(manifest,
        [
            "tenant_id,display_name,anonymous_join,organizer_anonymous_join,auto_admitted_users,lobby_bypass",
            $"{ids[0]},\"Contoso, Ltd.\",on,on,EveryoneInCompany,organizer",
            "# a comment line",
            $"{ids[1]},\"The \"\"Best\"\" Co\",on,on,everyoneincompany,Organizer",
            string.Empty,
            $"{ids[2]},Fabrikam,on,on,EveryoneInCompany,organizer",
        ]);
        using var cli = new CliRunner(fixture, fixture.Token(_partner));

        var run = await cli.RunAsync("onboard", manifest, "--parallelism", "3");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Equal((3, 0, 0, 3), (Count(run.Out, "succeeded"), Count(run.Out, "needs attention"), Count(run.Out, "failed"), Count(run.Out, "total")));
        using var api = fixture.Api(_partner);
        var names = new List<string>();
        await foreach (var tenant in api.Tenants.ListAllTenantsAsync())
        {
            Assert.Equal(Tenant.Types.State.Active, tenant.State);
            names.Add(tenant.DisplayName);
        }

        Assert.Equal(["Contoso, Ltd.", "Fabrikam", "The \"Best\" Co"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Tenants_the_service_refuses_are_named_by_their_manifest_line_and_nothing_is_onboarded()
    {
        var id = Guid.NewGuid().ToString("D");
        var manifest = Path.Combine(_dir, "bad.csv");
        await File.WriteAllLinesAsync(manifest,
        [
            "tenant_id,display_name",
            $"{id},First",
            $"{id},Twice",
            "not-a-guid,Third",
        ]);
        using var cli = new CliRunner(fixture, fixture.Token(_partner));

        var run = await cli.RunAsync("onboard", manifest);

        Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
        Assert.Contains("bad.csv line 3 tenant_id:", run.Error, StringComparison.Ordinal);
        Assert.Contains("bad.csv line 4 tenant_id:", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("line 2", run.Error, StringComparison.Ordinal);
        Assert.Contains("[INVALID_ARGUMENT]", run.Error, StringComparison.Ordinal);
        Assert.Contains("hint: Correct the fields listed above", run.Error, StringComparison.Ordinal);
        using var api = fixture.Api(_partner);
        Assert.Empty((await api.Tenants.ListTenantsAsync(new ListTenantsRequest())).Tenants);
    }

    [Fact]
    public async Task A_manifest_with_unknown_columns_and_bad_values_is_refused_before_anything_is_sent_naming_each_line()
    {
        var manifest = Path.Combine(_dir, "typos.csv");
        await File.WriteAllLinesAsync(manifest,
        [
            "tenant_id,display_name,anonymous_join,lobby_bypas",
            $"{Guid.NewGuid()},A,maybe,organizer",
            $"{Guid.NewGuid()},B,on",
        ]);
        using var cli = new CliRunner(fixture, token: null);

        var run = await cli.RunAsync("onboard", manifest);

        Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
        Assert.Contains("line 1: unknown column 'lobby_bypas'", run.Error, StringComparison.Ordinal);
        Assert.Contains("line 2: anonymous_join is 'maybe'; use on or off", run.Error, StringComparison.Ordinal);
        Assert.Contains("line 3: 3 fields where the header has 4", run.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was sent", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_of_5000_tenants_with_long_names_is_received_whole_by_the_service()
    {
        // About 1.5 MB, over the 1 MiB other methods accept. The last line is wrong on purpose: its refusal, naming
        // that line, shows the service read the whole request (and nothing is onboarded).
        var manifest = await TenantsCsvAsync("large.csv", [.. Enumerable.Range(0, 4_999).Select(_ => new string('n', 256)), string.Empty]);
        using var cli = new CliRunner(fixture, fixture.Token(_partner));

        var run = await cli.RunAsync("onboard", manifest);

        Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
        Assert.Contains("large.csv line 5001 display_name:", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("RESOURCE_EXHAUSTED", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_over_the_services_64_MiB_is_refused_before_sending_saying_how_to_split_it()
    {
        var manifest = await TenantsCsvAsync("huge.csv", [.. Enumerable.Range(0, 240_000).Select(_ => new string('n', 250))]);
        using var cli = new CliRunner(fixture, token: null);

        var run = await cli.RunAsync("onboard", manifest);

        Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
        Assert.Contains("the service accepts at most 67,108,864 bytes (64 MiB)", run.Error, StringComparison.Ordinal);
        Assert.Contains("Split it into at least 2 manifests", run.Error, StringComparison.Ordinal);
    }

    /// <summary>A CSV manifest of new tenant ids with these display names, one line each after the header.</summary>
    private async Task<string> TenantsCsvAsync(string file, IReadOnlyList<string> displayNames)
    {
        var manifest = Path.Combine(_dir, file);
        await File.WriteAllLinesAsync(manifest, ["tenant_id,display_name", .. displayNames.Select(n => $"{Guid.NewGuid()},{n}")]);
        return manifest;
    }

    /// <summary>The number in the summary table's row for an outcome.</summary>
    private static int Count(string output, string outcome)
    {
        var match = Regex.Match(output, $"│\\s*{outcome}\\s*│\\s*(\\d+)\\s*│");
        Assert.True(match.Success, $"no '{outcome}' row in:\n{output}");
        return int.Parse(match.Groups[1].Value);
    }

    public void Dispose() => System.IO.Directory.Delete(_dir, recursive: true);
}
