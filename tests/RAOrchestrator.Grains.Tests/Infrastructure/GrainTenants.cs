using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Sessions;
using RAOrchestrator.Domain.Tenants;

namespace RAOrchestrator.Grains.Tests.Infrastructure;

/// <summary>A customer tenant in the emulator, onboarded through its grain for a partner the operator pre-approved for it.</summary>
internal static class GrainTenants
{
    /// <summary>Teams settings the tenant's administrator has confirmed.</summary>
    public static readonly TenantSettings Confirmed = TenantSettings.Default with
    {
        Meetings = new MeetingSettings(Switch.On, Switch.On, LobbyScope.Organization, LobbyScope.Organizer),
    };

    /// <summary>Adds a tenant to the emulator, onboards it for <paramref name="partnerId"/> and answers its id.</summary>
    public static async Task<string> OnboardAsync(GrainCluster cluster, string partnerId)
    {
        var tenantId = Guid.NewGuid().ToString();
        await TestEmulator.AddTenantAsync(cluster.Emulator, tenantId);
        cluster.PreApproved[partnerId] = [tenantId];
        var created = await cluster.Grains.GetGrain<ITenantGrain>(ResourceName.Tenant(tenantId))
            .CreateAsync(new CreateTenant(partnerId, Guid.NewGuid().ToString("N"), "Company ABC", Confirmed));
        var onboarded = await cluster.Grains.GetGrain<IOperationGrain>(ResourceName.Operation(created.Operation.OperationId))
            .WatchToEndAsync(partnerId, created.Operation);
        Assert.Equal(OperationStatus.Succeeded, onboarded.Status);
        return tenantId;
    }
}
