using RAOrchestrator.Abstractions.Partners;

namespace RAOrchestrator.Grains.Tests.Partners;

/// <summary>
/// A partner's tenants onboard together, so changes to its indexes interleave and share writes; a list still shows
/// only what storage holds, and no change is answered before a write holding it has landed. Writes are held and
/// failed by the test's gate in front of the real table storage.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class PartnerIndexTests(GrainCluster cluster)
{
    [Fact]
    public async Task A_tenant_whose_index_write_is_in_flight_is_not_listed_nor_answered_until_the_write_lands()
    {
        var partner = cluster.Grains.GetGrain<IPartnerGrain>("partners/p-" + Guid.NewGuid().ToString("N")[..8]);
        var held = cluster.Gate.HoldNextWrite(partner.GetGrainId());
        var adding = partner.AddTenantAsync("tenant-a");
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(30));

        // Changes arriving meanwhile are taken, and wait for the next write; a repeat of the first waits for its write.
        var others = new[] { partner.AddTenantAsync("tenant-b"), partner.AddOperationAsync("operation-1"), partner.AddTenantAsync("tenant-a") };
        Assert.Empty((await partner.ListTenantsAsync(null, 10)).Keys);
        Assert.Empty((await partner.ListOperationsAsync(null, 10)).Keys);
        Assert.False(adding.IsCompleted || others.Any(t => t.IsCompleted), "a change was answered before its write landed");

        held.Release();
        await adding;
        await Task.WhenAll(others);
        Assert.Equal(["tenant-a", "tenant-b"], (await partner.ListTenantsAsync(null, 10)).Keys);
        Assert.Equal(["operation-1"], (await partner.ListOperationsAsync(null, 10)).Keys);
    }

    [Fact]
    public async Task A_tenant_whose_index_write_failed_is_never_listed_and_its_caller_hears_the_failure()
    {
        var partner = cluster.Grains.GetGrain<IPartnerGrain>("partners/p-" + Guid.NewGuid().ToString("N")[..8]);
        await partner.AddTenantAsync("tenant-a");
        var held = cluster.Gate.HoldNextWrite(partner.GetGrainId());
        var adding = partner.AddTenantAsync("tenant-b");
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["tenant-a"], (await partner.ListTenantsAsync(null, 10)).Keys);

        held.Fail();
        await Assert.ThrowsAnyAsync<Exception>(() => adding);
        Assert.Equal(["tenant-a"], (await partner.ListTenantsAsync(null, 10)).Keys);
    }
}
