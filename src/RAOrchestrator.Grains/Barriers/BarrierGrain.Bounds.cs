using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using RAOrchestrator.Abstractions.Barriers;
using RAOrchestrator.Domain.Barriers;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Grains.Storage;

namespace RAOrchestrator.Grains.Barriers;

/// <summary>
/// The barrier grain's stored bounds (see <see cref="BarrierState"/>): the configuration at most
/// <see cref="MaxConfigurationBytes"/>; the change log (each answer a configuration snapshot) at most 256 answers and
/// <see cref="StateLimits.MaxAnswerLogBytes"/> bytes, the newest always kept; the apply log 256 ids (in the same kind of
/// log, whose byte budget 256 ids never reach). Compiled versions
/// live in their own rows (<see cref="BarrierPartGrain"/>). Together: under ~600 KB.
/// </summary>
public sealed partial class BarrierGrain
{
    /// <summary>
    /// 5,000 segments with 4 KiB filters would be ~20 MB: a configuration is refused
    /// (<c>BARRIER_CONFIGURATION_TOO_LARGE</c>) above this many serialized bytes, before anything is written.
    /// </summary>
    public const int MaxConfigurationBytes = 192 * 1024;

    private Serializer StateSerializer => ServiceProvider.GetRequiredService<Serializer>();

    private AnswerLog<(string RequestId, BarrierChange Result)> Answers => _answers ??= new(StateSerializer, p => p.RequestId, MaxProcessed);

    private AnswerLog<(string RequestId, BarrierChange Result)>? _answers;

    private AnswerLog<(string Key, string OperationId)> ApplyAnswers => _applyAnswers ??= new(StateSerializer, a => a.Key, MaxProcessed);

    private AnswerLog<(string Key, string OperationId)>? _applyAnswers;

    private void EnsureFits(BarrierConfiguration next)
    {
        var size = StateSerializer.SerializeToArray(next).Length;
        if (size > MaxConfigurationBytes)
        {
            throw BoundReasons.Exhausted(BoundReasons.BarrierConfigurationTooLarge,
                $"The barrier configuration would take {size:N0} bytes, over its limit of {MaxConfigurationBytes:N0}; remove segments or policies, or shorten their filters.",
                "barrier_configuration", MaxConfigurationBytes, size);
        }
    }
}
