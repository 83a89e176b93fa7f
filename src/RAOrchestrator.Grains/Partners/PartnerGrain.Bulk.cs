using RAOrchestrator.Abstractions.Bulk;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Grains.Bulk;

namespace RAOrchestrator.Grains.Partners;

/// <summary>
/// The partner's bulk onboardings not done, so one partner cannot fill the cluster with them. The partner grain keeps
/// their operation ids, not a count: a bulk grain adds its id before it stores its request and removes it once done,
/// both idempotent, and a done bulk keeps its reminder until the removal has succeeded, so a crash after finishing only
/// delays it. What can still be left behind (a silo lost between the add and the bulk's first write) is recounted
/// from the bulks themselves whenever the list is full: ids whose bulk is not being started and not stored-and-running
/// are dropped. So a slot never leaks for good, and the limit holds across silos because one grain decides it.
/// </summary>
public sealed partial class PartnerGrain
{
    public async Task StartBulkAsync(string operationId)
    {
        var running = State.RunningBulkIds;
        if (running.Contains(operationId))
        {
            return;
        }

        var limit = options.Value.MaxRunningBulkOperations;
        if (running.Count >= limit)
        {
            await RecountBulksAsync();
            if (running.Count >= limit)
            {
                throw new OrchestratorException(ErrorKind.ResourceExhausted, Reasons.PartnerBulkLimit,
                    $"This partner already has {running.Count} bulk onboardings not done, its limit (RateLimits:MaxRunningBulkOperationsPerPartner); wait for one to finish or cancel one. A retry of an existing request_id is always answered.");
            }
        }

        running.Add(operationId);
        await CommitAsync();
    }

    public async Task FinishBulkAsync(string operationId)
    {
        if (State.RunningBulkIds.Remove(operationId))
        {
            await CommitAsync();
        }
    }

    /// <summary>Drops the ids whose bulk is neither being started nor stored and not done (only the state is written later, with the add).</summary>
    private async Task RecountBulksAsync()
    {
        var ids = State.RunningBulkIds.ToArray();
        var running = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IBulkOnboardingGrain>(BulkOnboardingGrain.KeyPrefix + id).IsRunningAsync()));
        for (var i = 0; i < ids.Length; i++)
        {
            if (!running[i])
            {
                State.RunningBulkIds.Remove(ids[i]);
            }
        }
    }
}
