using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Domain.Tenants;

namespace RAOrchestrator.Abstractions.Bulk;

/// <summary>One tenant of a bulk onboarding.</summary>
[GenerateSerializer, Immutable, Alias("raorch.BulkTenant")]
public sealed record BulkTenant(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] TenantSettings Settings);

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
/// and reports counts and failures to its operation. A reminder resumes it after a crash.
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
}
