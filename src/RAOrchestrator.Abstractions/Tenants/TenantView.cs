using RAOrchestrator.Domain.Tenants;

namespace RAOrchestrator.Abstractions.Tenants;

/// <summary>What a partner may see of a managed tenant.</summary>
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
    [property: Id(9)] IReadOnlyList<string> VerifiedDomains);
