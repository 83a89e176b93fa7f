using System.Collections.Concurrent;
using RAOrchestrator.Directory.Throttling;

namespace RAOrchestrator.Directory.Batching;

/// <summary>
/// Gathers concurrent calls for the same tenant into $batch calls of up to 20 requests (a token is per tenant, so a
/// batch never mixes tenants), so many grains each running a simple one-call-at-a-time saga share round trips.
/// </summary>
internal sealed class GraphBatchCoalescer(TenantGraphClients clients, GraphRateGovernor governor, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TenantBatchQueue> _tenants = new(StringComparer.Ordinal);

    public Task<T> SendAsync<T>(string tenantId, BatchItem<T> item)
    {
        _tenants.GetOrAdd(tenantId, id => new TenantBatchQueue(id, clients, governor, time)).Enqueue(item);
        return item.Answer;
    }
}
