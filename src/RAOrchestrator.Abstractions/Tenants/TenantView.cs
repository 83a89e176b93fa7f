using RAOrchestrator.Domain.Tenants;
using RAOrchestrator.Domain.Tenants.Ownership;

namespace RAOrchestrator.Abstractions.Tenants;

/// <summary>
/// What a partner may see of a tenant: the tenant it owns, or its own claim waiting for approval (lifecycle
/// AwaitingApproval, with the approval page's path and when the claim expires). The ownership history names only the
/// caller; other partners' entries are anonymised.
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.TenantView")]
public sealed record TenantView(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] TenantLifecycle Lifecycle,
    [property: Id(3)] string OperationId,
    [property: Id(4)] DateTimeOffset CreateTime,
    [property: Id(5)] DateTimeOffset UpdateTime,
    [property: Id(6)] long Version,
    [property: Id(7)] TenantSettings Settings,
    [property: Id(8)] ReadinessReport? Readiness,
    [property: Id(9)] IReadOnlyList<string> VerifiedDomains,
    [property: Id(10)] string? ApprovalPath = null,
    [property: Id(11)] DateTimeOffset? ApprovalExpireTime = null,
    [property: Id(12)] IReadOnlyList<OwnershipEvent>? OwnershipHistory = null);
