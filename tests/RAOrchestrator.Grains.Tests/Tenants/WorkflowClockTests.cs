using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.Grains.Tests.Infrastructure;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Grains.Tests.Tenants;

/// <summary>A tenant workflow that Graph interrupts tries its step again a few seconds later on the grains' clock.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class WorkflowClockTests(GrainCluster cluster)
{
    /// <summary>The tenant grain's wait before it tries an interrupted step again.</summary>
    private static readonly TimeSpan TransientRetry = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task An_onboarding_step_Graph_refuses_once_is_tried_again_when_the_clock_passes_the_retry_delay()
    {
        var partner = "partner-retry-" + Guid.NewGuid().ToString("N")[..8];
        var tenantId = Guid.NewGuid().ToString();
        await TestEmulator.AddTenantAsync(cluster.Emulator, tenantId);
        cluster.PreApproved[partner] = [tenantId];
        cluster.Emulator.State.Faults.Refuse(new RefusalFault("GET /organization", 503, "serviceNotAvailable", "The service is temporarily unavailable."));
        var started = cluster.Clock.GetUtcNow();

        var created = await cluster.Grains.GetGrain<ITenantGrain>(ResourceName.Tenant(tenantId))
            .CreateAsync(new CreateTenant(partner, Guid.NewGuid().ToString("N"), "Company ABC", GrainTenants.Confirmed));
        var operation = cluster.Grains.GetGrain<IOperationGrain>(ResourceName.Operation(created.Operation.OperationId));
        var done = await cluster.Clock.AdvanceUntilAsync(operation.WatchToEndAsync(partner, created.Operation), TimeSpan.FromSeconds(1));

        Assert.Empty(cluster.Emulator.State.Faults.Refusals);
        Assert.True(done.Status == OperationStatus.Succeeded, $"{done.Failure?.Reason}: {done.Failure?.Message}");
        Assert.True(cluster.Clock.GetUtcNow() - started >= TransientRetry, "the step was tried again before its retry delay passed");
    }
}
