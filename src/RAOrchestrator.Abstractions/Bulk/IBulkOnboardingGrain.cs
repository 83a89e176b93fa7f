using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Domain.Tenants;

namespace RAOrchestrator.Abstractions.Bulk;

/// <summary>One service account of a tenant's plan, provisioned once the tenant is ACTIVE (as CreateServiceAccount would).</summary>
[GenerateSerializer, Immutable, Alias("raorch.BulkServiceAccount")]
public sealed record BulkServiceAccount(
    [property: Id(0)] string ServiceAccountId,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] string UserPrincipalName,
    [property: Id(3)] string UsageLocation,
    [property: Id(4)] IReadOnlyDictionary<string, string> Attributes,
    [property: Id(5)] bool BarrierLicence);

/// <summary>One tenant of a bulk onboarding, with its service-account plan.</summary>
[GenerateSerializer, Immutable, Alias("raorch.BulkTenant")]
public sealed record BulkTenant(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] TenantSettings Settings)
{
    /// <summary>The accounts to provision after the tenant reaches ACTIVE; kept in plan grains, not the bulk grain's state.</summary>
    [Id(3)] public IReadOnlyList<BulkServiceAccount> ServiceAccounts { get; init; } = [];
}

/// <summary>Start onboarding many tenants for a partner.</summary>
[GenerateSerializer, Immutable, Alias("raorch.StartBulkOnboarding")]
public sealed record StartBulkOnboarding(
    [property: Id(0)] string PartnerId,
    [property: Id(1)] IReadOnlyList<BulkTenant> Tenants,
    [property: Id(2)] int MaxParallelism);

/// <summary>
/// Coordinates one bulk onboarding, keyed <c>bulkOnboardings/{operation-id}</c> where the operation id is derived from
/// the partner and the request id, so a retried request reaches the same grain and resumes it. It onboards each tenant
/// through its tenant grain (with a request id of its own, so nothing is onboarded twice), with bounded parallelism,
/// then provisions the tenant's service-account plan through the account grains (the same request id, so no account
/// is made twice), and reports counts and failures of both to its operation. A reminder resumes it after a crash.
/// </summary>
[Alias("raorch.IBulkOnboardingGrain")]
public interface IBulkOnboardingGrain : IGrainWithStringKey
{
    /// <summary>Starts the bulk onboarding, or returns it (and resumes it) when it already exists.</summary>
    [Alias("Start")]
    Task<OperationView> StartAsync(StartBulkOnboarding command);

    /// <summary>Stops starting new tenants; null when not this partner's.</summary>
    [Alias("Cancel")]
    Task<OperationView?> CancelAsync(string partnerId);

    /// <summary>
    /// Whether this bulk onboarding is being started or stored and not done. Asked by the partner grain while the
    /// bulk grain may itself be waiting on the partner, so it answers interleaved.
    /// </summary>
    [Alias("IsRunning"), ReadOnly, AlwaysInterleave]
    Task<bool> IsRunningAsync();
}
