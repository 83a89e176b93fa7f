using System.Collections.Immutable;

namespace RAOrchestrator.Domain.Barriers;

/// <summary>Single-segment (the default) or multi-segment (<c>Enable-ExoInformationBarrierMultiSegment</c>; cannot be reverted).</summary>
public enum BarrierMode : byte
{
    SingleSegment = 1,
    MultiSegment = 2,
}

/// <summary>
/// Which version of information barriers the tenant runs. Source: Microsoft Learn, "Get started with information barriers"
/// (information-barriers-policies.md): organisations that enabled IB before 15 February 2023 are on the legacy version
/// (at most 250 segments, one segment per user, non-IB users hidden from users under allow policies).
/// </summary>
public enum BarrierGeneration : byte
{
    Modern = 1,
    Legacy = 2,
}

public enum PolicyKind : byte
{
    Block = 1,
    Allow = 2,
}

public enum PolicyState : byte
{
    Inactive = 1,
    Active = 2,
}

/// <summary>Tenant-wide settings of the barrier engine.</summary>
[GenerateSerializer, Immutable, Alias("RAOrchestrator.Barriers.BarrierSettings")]
public sealed record BarrierSettings(
    [property: Id(0)] BarrierMode Mode,
    [property: Id(1)] BarrierGeneration Generation)
{
    public static BarrierSettings Default { get; } = new(BarrierMode.SingleSegment, BarrierGeneration.Modern);
}

/// <summary>Limits as Microsoft publishes them (information-barriers-policies.md, information-barriers-multi-segment.md).</summary>
public static class BarrierLimits
{
    /// <summary>Segments per tenant for organisations on the current version.</summary>
    public const int MaxSegmentsModern = 5000;

    /// <summary>Segments per tenant for organisations that enabled IB before 15 February 2023.</summary>
    public const int MaxSegmentsLegacy = 250;

    /// <summary>Segments per user in multi-segment mode.</summary>
    public const int MaxSegmentsPerUserMultiSegment = 10;

    /// <summary>Our bound on segment and policy names (Microsoft publishes none we could find; 64 keeps them readable in every UI).</summary>
    public const int MaxNameLength = 64;

    public static int MaxSegments(BarrierSettings settings) =>
        settings.Generation == BarrierGeneration.Legacy ? MaxSegmentsLegacy : MaxSegmentsModern;

    public static int MaxSegmentsPerUser(BarrierSettings settings) =>
        settings.Mode == BarrierMode.MultiSegment ? MaxSegmentsPerUserMultiSegment : 1;
}

/// <summary>A segment: a name (which cannot change once created) and its <c>-UserGroupFilter</c> in canonical form.</summary>
[GenerateSerializer, Immutable, Alias("RAOrchestrator.Barriers.SegmentDefinition")]
public sealed record SegmentDefinition(
    [property: Id(0)] string Name,
    [property: Id(1)] string UserGroupFilter);

/// <summary>
/// A policy: the segment it is assigned to, whether the listed segments are blocked or the only ones allowed, and its state.
/// Only <see cref="PolicyState.Active"/> policies take effect.
/// </summary>
[GenerateSerializer, Immutable, Alias("RAOrchestrator.Barriers.PolicyDefinition")]
public sealed record PolicyDefinition(
    [property: Id(0)] string Name,
    [property: Id(1)] string AssignedSegment,
    [property: Id(2)] PolicyKind Kind,
    [property: Id(3)] ImmutableArray<string> Segments,
    [property: Id(4)] PolicyState State)
{
    public static PolicyDefinition Block(string name, string assigned, params string[] blocked) =>
        new(name, assigned, PolicyKind.Block, [.. blocked], PolicyState.Inactive);

    public static PolicyDefinition Allow(string name, string assigned, params string[] allowed) =>
        new(name, assigned, PolicyKind.Allow, [.. allowed], PolicyState.Inactive);

    public PolicyDefinition WithState(PolicyState state) => this with { State = state };

    public bool Equals(PolicyDefinition? other) =>
        other is not null
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && string.Equals(AssignedSegment, other.AssignedSegment, StringComparison.Ordinal)
        && Kind == other.Kind
        && State == other.State
        && Segments.AsSpan().SequenceEqual(other.Segments.AsSpan());

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(Name);
        h.Add(AssignedSegment);
        h.Add(Kind);
        h.Add(State);
        foreach (var s in Segments)
        {
            h.Add(s);
        }

        return h.ToHashCode();
    }
}
