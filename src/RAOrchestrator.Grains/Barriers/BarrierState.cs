using RAOrchestrator.Abstractions.Barriers;
using RAOrchestrator.Domain.Barriers;

namespace RAOrchestrator.Grains.Barriers;

[GenerateSerializer, Alias("raorch.BarrierState")]
public sealed class BarrierState
{
    [Id(0)] public BarrierConfiguration Configuration { get; set; } = BarrierConfiguration.Empty();
    [Id(1)] public long Version { get; set; }

    /// <summary>Recent request ids with their answers, oldest first.</summary>
    [Id(2)] public List<(string RequestId, BarrierChange Result)> Processed { get; set; } = [];
}
