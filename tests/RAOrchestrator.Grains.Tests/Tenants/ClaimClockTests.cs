using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Tenants;
using RAOrchestrator.Domain.Tenants.Ownership;
using RAOrchestrator.Grains.Tests.Infrastructure;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Grains.Tests.Tenants;

/// <summary>A claim waits for the tenant administrator for the claim lifetime (14 days by default): driven here by moving the grains' clock.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class ClaimClockTests(GrainCluster cluster)
{
    [Fact]
    public async Task A_claim_nobody_decides_expires_when_the_clock_passes_its_lifetime_and_a_new_claim_gets_a_new_link()
    {
        var partner = "partner-claim-" + Guid.NewGuid().ToString("N")[..8];
        var tenantId = Guid.NewGuid().ToString();
        await TestEmulator.AddTenantAsync(cluster.Emulator, tenantId);
        var tenant = cluster.Grains.GetGrain<ITenantGrain>(ResourceName.Tenant(tenantId));
        var claim = await tenant.CreateAsync(new CreateTenant(partner, Guid.NewGuid().ToString("N"), "Company ABC", TenantSettings.Default));
        Assert.Equal(TenantLifecycle.AwaitingApproval, claim.Tenant.Lifecycle);
        var operation = cluster.Grains.GetGrain<IOperationGrain>(ResourceName.Operation(claim.Operation.OperationId));

        cluster.Clock.Advance(claim.Tenant.ApprovalExpireTime!.Value - cluster.Clock.GetUtcNow() - TimeSpan.FromSeconds(1));
        Assert.Equal(claim.Operation.Version, (await operation.TryGetAsync(partner))!.Version);
        cluster.Clock.Advance(TimeSpan.FromSeconds(1));

        // Only the tenant grain's expiry ends the operation: the watch asks nothing of the tenant.
        var expired = await operation.WatchToEndAsync(partner, claim.Operation);
        Assert.Equal((OperationStatus.Failed, Reasons.ApprovalExpired), (expired.Status, expired.Failure?.Reason));
        Assert.True(string.IsNullOrEmpty(expired.ApprovalPath));
        Assert.Null(await tenant.TryGetAsync(partner));
        Assert.Equal(ClaimStatus.Expired, (await tenant.GetApprovalRequestAsync(claim.Tenant.ApprovalPath!.Split('/')[^1]))!.Status);

        var again = await tenant.CreateAsync(new CreateTenant(partner, Guid.NewGuid().ToString("N"), "Company ABC", TenantSettings.Default));
        Assert.Equal(TenantLifecycle.AwaitingApproval, again.Tenant.Lifecycle);
        Assert.NotEqual(claim.Tenant.ApprovalPath, again.Tenant.ApprovalPath);
    }
}
