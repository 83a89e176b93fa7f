using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RAOrchestrator.Server.Tests;

/// <summary>The app's Graph budget is shared by partners: one flooding it cannot hold another's onboarding back.</summary>
[Collection(ServerCollection.Name)]
public sealed class GraphFairnessTests(ServerFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_partner_flooding_graph_leaves_another_partners_onboarding_at_least_half_its_fair_share()
    {
        // A small app budget (60 units in a 5 s window) that the flooder alone would need many windows to get through.
        await using var host = await ServerInstance.StartAsync(fixture.Azurite, fixture.Emulator, fixture.Tokens, "fair-" + Guid.NewGuid().ToString("N")[..8],
            new Dictionary<string, string?>
            {
                ["Graph:Budgets:AppUnitsPer20Seconds"] = "60",
                ["Graph:Budgets:WindowScale"] = "0.25",
                ["Graph:Budgets:Safety"] = "1",
            });
        var flooder = TestIds.NewPartner();
        var other = TestIds.NewPartner();
        var flood = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => ReadyTenants.AddAsync(fixture.Emulator)));
        var own = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ReadyTenants.AddAsync(fixture.Emulator)));

        var flooding = await StartAsync(host, flooder, flood, parallelism: 30);
        var floodDone = host.Operations(fixture.Tokens.Reader(flooder)).WatchToEndAsync(flooding.Name);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var started = DateTimeOffset.UtcNow;
        var mine = await StartAsync(host, other, own, parallelism: 1);
        var mineDone = (await host.Operations(fixture.Tokens.Reader(other)).WatchToEndAsync(mine.Name))[^1];
        var ended = DateTimeOffset.UtcNow;
        var floodStillRunning = !floodDone.IsCompleted;
        var floodLast = (await floodDone)[^1];

        Assert.Equal((Operation.Types.State.Succeeded, 3), (mineDone.State, mineDone.Bulk.Succeeded));
        Assert.Equal(30, floodLast.Bulk.Succeeded);
        var requests = fixture.Emulator.State.Requests.Snapshot().Where(r => r.Arrived >= started && r.Arrived <= ended && !r.Inner).ToArray();
        var ours = requests.Count(r => own.Contains(r.Tenant, StringComparer.OrdinalIgnoreCase));
        var theirs = requests.Count(r => flood.Contains(r.Tenant, StringComparer.OrdinalIgnoreCase));
        output.WriteLine($"while the other partner onboarded ({(ended - started).TotalSeconds:F1} s): its Graph requests {ours}, the flooder's {theirs}; flood still running: {floodStillRunning}");
        Assert.True(floodStillRunning, "the flood should outlast the other partner's onboarding");
        // Its fair share is half of what went out while both were sending; it got at least half of that.
        Assert.True(ours * 4 >= ours + theirs, $"the other partner got {ours} of {ours + theirs} Graph requests");
    }

    private async Task<Operation> StartAsync(ServerInstance host, string partner, IEnumerable<string> tenantIds, int parallelism)
    {
        var request = new StartBulkOnboardingRequest { RequestId = TestIds.NewRequestId(), MaxParallelism = parallelism };
        request.Tenants.AddRange(tenantIds.Select(id => new BulkTenant { TenantId = id, Tenant = ReadyTenants.Create(id).Tenant }));
        return (await new BulkOnboardingService.BulkOnboardingServiceClient(host.Invoker(fixture.Tokens.Writer(partner))).StartBulkOnboardingAsync(request)).Operation;
    }
}
