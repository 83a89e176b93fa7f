using RAOrchestrator.Abstractions.Operations;
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

    /// <summary>Applies one change; a request id the same partner repeats answers the first result. ABORTED when the version moved.</summary>
    [Alias("Change")]
    Task<BarrierChange> ChangeAsync(string partnerId, BarrierCommand command);

    /// <summary>
    /// Starts applying the configuration: read every user's attributes, compute segments, store the compiled version in
    /// parts and publish it in one write. Until then the previous version keeps answering.
    /// </summary>
    [Alias("StartApply")]
    Task<OperationView> StartApplyAsync(string partnerId, string requestId);

    /// <summary>The published version, or null before the first apply.</summary>
    /// <summary>
    /// The tenant is being offboarded: ends an apply that waits (its operation fails TENANT_NOT_ACTIVE), removes the
    /// configuration and the stored parts of the published version, and forgets everything. Grain-to-grain only;
    /// idempotent; UNAVAILABLE while an apply is running (the offboarding tries again).
    /// </summary>
    [Alias("Forget")]
    Task ForgetAsync();

    [Alias("GetPublished"), ReadOnly]
    Task<PublishedBarriers?> GetPublishedAsync();
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

/// <summary>What the published (compiled, stored) barrier version holds.</summary>
[GenerateSerializer, Immutable, Alias("raorch.PublishedBarriers")]
public sealed record PublishedBarriers(
    [property: Id(0)] long Version,
    [property: Id(1)] long ConfigurationVersion,
    [property: Id(2)] int Users,
    [property: Id(3)] int Parts,
    [property: Id(4)] int UsersWithoutSegment,
    [property: Id(5)] IReadOnlyList<string> Conflicts,
    [property: Id(6)] DateTimeOffset PublishedAt);

/// <summary>
/// One stored part (the header or a membership shard) of a compiled barrier version, keyed
/// <c>tenants/{tenant}/barrierVersions/{version}/{part}</c>: a large tenant's membership is split across these grains
/// (each within one storage entity) instead of one state that would outgrow it.
/// </summary>
[Alias("raorch.IBarrierPartGrain")]
public interface IBarrierPartGrain : IGrainWithStringKey
{
    [Alias("Put")]
    Task PutAsync(byte[] data);

    [Alias("Clear")]
    Task ClearAsync();

    [Alias("Get"), ReadOnly]
    Task<byte[]?> GetAsync();
}

/// <summary>
/// Answers "may A do X with B" from the published version, in constant time; a stateless worker per tenant keeps the
/// decoded version in memory and reloads it when a newer one is published.
/// </summary>
[Alias("raorch.IBarrierCheckGrain")]
public interface IBarrierCheckGrain : IGrainWithStringKey
{
    [Alias("Check")]
    Task<(BarrierCheckResult? Result, long Version)> CheckAsync(string userA, string userB, BarrierActivity activity);

    /// <summary>The candidates user A may do the activity with; all of them when no version is published.</summary>
    [Alias("Filter")]
    Task<IReadOnlyList<string>> FilterAsync(string userA, IReadOnlyList<string> candidates, BarrierActivity activity);
}
