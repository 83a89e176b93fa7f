using RAOrchestrator.Domain.Barriers;

namespace RAOrchestrator.Abstractions.Barriers;

/// <summary>A tenant's barrier configuration and its version (every change bumps it; resources use it as etag).</summary>
[GenerateSerializer, Immutable, Alias("raorch.BarrierConfigView")]
public sealed record BarrierConfigView(
    [property: Id(0)] BarrierConfiguration Configuration,
    [property: Id(1)] long Version);

/// <summary>The result of a change: the configuration after it, and the warnings it raised.</summary>
[GenerateSerializer, Immutable, Alias("raorch.BarrierChange")]
public sealed record BarrierChange(
    [property: Id(0)] BarrierConfigView After,
    [property: Id(1)] IReadOnlyList<BarrierViolation> Warnings);

/// <summary>
/// One tenant's information-barrier configuration, keyed <c>tenants/{tenant}/barriers</c>. Every change is checked by
/// the domain rules (<see cref="BarrierConfiguration"/>); a refusal names the rule. Callers (the gRPC service) have
/// already checked that the partner manages the tenant.
/// </summary>
[Alias("raorch.IBarrierGrain")]
public interface IBarrierGrain : IGrainWithStringKey
{
    [Alias("Get"), ReadOnly]
    Task<BarrierConfigView> GetAsync();

    /// <summary>Applies one change; a repeated request id answers the first result. ABORTED when the version moved.</summary>
    [Alias("Change")]
    Task<BarrierChange> ChangeAsync(BarrierCommand command);
}

/// <summary>A change of the configuration, tagged by request id and the version it expects.</summary>
[GenerateSerializer, Immutable, Alias("raorch.BarrierCommand")]
public sealed record BarrierCommand(
    [property: Id(0)] string RequestId,
    [property: Id(1)] long? ExpectedVersion,
    [property: Id(2)] BarrierCommandKind Kind,
    [property: Id(3)] SegmentDefinition? Segment,
    [property: Id(4)] PolicyDefinition? Policy,
    [property: Id(5)] string? Name);

public enum BarrierCommandKind
{
    CreateSegment = 1,
    UpdateSegment = 2,
    DeleteSegment = 3,
    CreatePolicy = 4,
    UpdatePolicy = 5,
    DeletePolicy = 6,
}
