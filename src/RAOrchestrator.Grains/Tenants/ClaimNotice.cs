using RAOrchestrator.Abstractions.Operations;

namespace RAOrchestrator.Grains.Tenants;

/// <summary>
/// What a decision still has to tell others, kept in the tenant's state until done (an outbox): the operation that
/// ended with it, and the partner index that should no longer list the tenant for a partner that lost it.
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.ClaimNotice")]
public sealed record ClaimNotice(
    [property: Id(0)] string PartnerId,
    [property: Id(1)] string? OperationId,
    [property: Id(2)] OperationProgress? Report,
    [property: Id(3)] bool WakeSessionWatchers = false);
