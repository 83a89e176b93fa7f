using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using RAOrchestrator.Grains.Storage;

namespace RAOrchestrator.Grains.Tenants;

/// <summary>
/// The tenant's stored bounds (see <see cref="TenantState"/>): settings hold at most 1,000 allow-listed tenants
/// (checked at the API edge, ~38 KB), ownership at most 8 pending and 8 ended claims and 64 history entries, at most
/// 16 sign-ins; the request log at most 256 answers and <see cref="Storage.StateLimits.MaxAnswerLogBytes"/> bytes.
/// </summary>
public sealed partial class TenantGrain
{
    /// <summary>Measures what the request log would store (the serializer the storage provider writes with).</summary>
    private Serializer StateSerializer => ServiceProvider.GetRequiredService<Serializer>();

    private AnswerLog<ProcessedRequest> Answers => _answers ??= new(StateSerializer, r => r.Key, MaxProcessedRequests);

    private AnswerLog<ProcessedRequest>? _answers;
}
