using System.Collections.Concurrent;
using System.Diagnostics;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class TracingTests(ServerFixture fixture)
{
    [Fact]
    public async Task One_trace_runs_from_the_rpc_into_the_grain_calls()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "Microsoft.Orleans.Application" or "Microsoft.Orleans.Runtime",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var partner = TestIds.NewPartner();
        var tenants = fixture.Server.Tenants(fixture.Tokens.Writer(partner));
        var created = await tenants.CreateTenantAsync(new CreateTenantRequest { TenantId = TestIds.NewTenantId(), Tenant = new Tenant { DisplayName = "Traced" } });
        await tenants.GetTenantAsync(new GetTenantRequest { Name = created.Tenant.Name });

        var rpc = Assert.Single(activities, a => a.Source.Name == "Microsoft.AspNetCore" && a.DisplayName.Contains("GetTenant", StringComparison.Ordinal));
        var grainCalls = activities.Where(a => a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && a.TraceId == rpc.TraceId).ToArray();
        Assert.Contains(grainCalls, a => a.DisplayName.Contains("TenantGrain", StringComparison.OrdinalIgnoreCase) || a.DisplayName.Contains("TryGet", StringComparison.Ordinal));
    }
}
