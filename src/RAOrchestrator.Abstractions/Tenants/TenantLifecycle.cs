namespace RAOrchestrator.Abstractions.Tenants;

/// <summary>Where a managed tenant is in its life (mirrors raorchestrator.v1.Tenant.State).</summary>
public enum TenantLifecycle
{
    Onboarding = 1,
    Active = 2,
    NeedsAttention = 3,
    Offboarding = 4,

    /// <summary>The caller's claim waits for an administrator of the tenant to approve it.</summary>
    AwaitingApproval = 5,
}
