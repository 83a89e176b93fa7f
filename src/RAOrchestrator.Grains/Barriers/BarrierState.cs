using RAOrchestrator.Abstractions.Barriers;
using RAOrchestrator.Domain.Barriers;

namespace RAOrchestrator.Grains.Barriers;

/// <summary>Bound: see BarrierGrain.Bounds.cs (configuration 192 KiB, change log 192 KiB, apply log 256 ids).</summary>
[GenerateSerializer, Alias("raorch.BarrierState")]
public sealed class BarrierState
{
    [Id(0)] public BarrierConfiguration Configuration { get; set; } = BarrierConfiguration.Empty();
    [Id(1)] public long Version { get; set; }

    /// <summary>Recent request ids with their answers, oldest first.</summary>
    [Id(2)] public List<(string RequestId, BarrierChange Result)> Processed { get; set; } = [];

    /// <summary>The version checks answer from.</summary>
    [Id(3)] public PublishedBarriers? Published { get; set; }

    /// <summary>The apply in progress, until it publishes or fails.</summary>
    [Id(4)] public PendingApply? Apply { get; set; }

    /// <summary>Apply request ids with their operation, oldest first.</summary>
    [Id(5)] public List<(string Key, string OperationId)> Applies { get; set; } = [];

    /// <summary>The last version number handed out (published or not), so versions never repeat.</summary>
    [Id(6)] public long LastVersion { get; set; }
}

[GenerateSerializer, Alias("raorch.PendingApply")]
public sealed record PendingApply(
    [property: Id(0)] string OperationId,
    [property: Id(1)] string PartnerId,
    [property: Id(2)] long Version);
