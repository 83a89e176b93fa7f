using RAOrchestrator.Abstractions.Tenants;

namespace RAOrchestrator.Grains.Tenants;

/// <summary>A mutation already carried out for a request id, with what it answered.</summary>
[GenerateSerializer, Alias("raorch.ProcessedRequest")]
public sealed record ProcessedRequest(
    [property: Id(0)] string Key,
    [property: Id(1)] TenantView? Tenant,
    [property: Id(2)] string? OperationId);
