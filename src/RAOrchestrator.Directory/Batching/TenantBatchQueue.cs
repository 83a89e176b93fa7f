using System.Diagnostics;
using Microsoft.Graph;
using RAOrchestrator.Directory.Throttling;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Directory.Batching;

/// <summary>
/// One tenant's calls waiting to go to Graph together. A batch goes when it holds 20 requests, when no call arrived
/// for <see cref="GraphBatchingOptions.Quiet"/>, or <see cref="GraphBatchingOptions.MaxDelay"/> after its oldest call
/// arrived; several may be in flight. Each answer goes back to its own caller. An inner 429 holds the whole tenant at
/// the governor for its Retry-After (the next batch waits there), other transient answers back off with jitter, and
/// only the requests that did not succeed go again, at most <see cref="GraphOptions.MaxAttempts"/> rounds per call.
/// </summary>
internal sealed class TenantBatchQueue(string tenantId, TenantGraphClients clients, GraphRateGovernor governor, TimeProvider time)
{
    public const int MaxRequests = 20;

    /// <summary>How long a hinted group may wait for its last member (one that failed before the gateway never comes).</summary>
    private static readonly TimeSpan MaxGroupWait = TimeSpan.FromSeconds(3);

    private readonly Lock _lock = new();
    private readonly List<BatchItem> _waiting = [];
    private readonly Dictionary<string, int> _arrived = new(StringComparer.Ordinal);
    private DateTimeOffset _lastArrival;
    private bool _flushing;

    private GraphBatchingOptions Options => clients.Options.Batching;

    public void Enqueue(BatchItem item)
    {
        lock (_lock)
        {
            item.EnqueuedAt = _lastArrival = time.GetUtcNow();
            _waiting.Add(item);
            if (item.Rounds == 0 && item.Hint is { } hint)
            {
                _arrived[hint.Group] = _arrived.GetValueOrDefault(hint.Group) + 1;
            }
            if (_flushing)
            {
                return;
            }

            _flushing = true;
        }

        // The loop belongs to no caller: it must not run inside (and be traced under) the first caller's span.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(FlushLoopAsync);
        }
    }

    private async Task FlushLoopAsync()
    {
        while (true)
        {
            List<BatchItem>? batch = null;
            TimeSpan wait;
            lock (_lock)
            {
                if (_waiting.Count == 0)
                {
                    _flushing = false;
                    return;
                }

                var now = time.GetUtcNow();
                var oldest = _waiting.Min(i => i.EnqueuedAt);
                wait = Min(_lastArrival + Options.Quiet, oldest + Options.MaxDelay) - now;

                // Members of a group still on their way hold the batch (boundedly): they are known to be coming.
                var incomplete = _waiting.Where(i => i.Rounds == 0 && i.Hint is { } h && _arrived.GetValueOrDefault(h.Group) < h.Expected).ToArray();
                if (incomplete.Length > 0 && wait <= TimeSpan.Zero)
                {
                    wait = incomplete.Min(i => i.EnqueuedAt) + MaxGroupWait - now;
                }

                if (_waiting.Sum(i => i.Size) >= MaxRequests || wait <= TimeSpan.Zero)
                {
                    batch = TakeBatch();
                }
            }

            if (batch is null)
            {
                await Task.Delay(wait, time);
                continue;
            }

            _ = SendAsync(batch);
        }
    }

    /// <summary>The oldest calls that fit in one batch of 20 requests.</summary>
    private List<BatchItem> TakeBatch()
    {
        var batch = new List<BatchItem>();
        var size = 0;
        foreach (var item in _waiting.OrderBy(i => i.EnqueuedAt))
        {
            if (size + item.Size > MaxRequests)
            {
                break;
            }

            batch.Add(item);
            size += item.Size;
        }

        _waiting.RemoveAll(batch.Contains);
        foreach (var (group, expected) in batch.Select(i => i.Hint).OfType<(string Group, int Expected)>().Distinct())
        {
            if (_arrived.GetValueOrDefault(group) >= expected && !_waiting.Any(i => i.Hint?.Group == group))
            {
                _arrived.Remove(group);
            }
        }

        return batch;
    }

    private async Task SendAsync(List<BatchItem> items)
    {
        using var activity = GraphTelemetry.Source.StartActivity("graph.batch", ActivityKind.Internal, default(ActivityContext),
            links: items.Where(i => i.Caller != default).Select(i => new ActivityLink(i.Caller)));
        activity?.SetTag("raorchestrator.tenant", tenantId);
        activity?.SetTag("raorchestrator.graph.batch_calls", items.Count);

        var outcomes = new List<(BatchItem Item, RoundOutcome Outcome)>();
        try
        {
            var graph = clients.Client(tenantId);
            var content = new BatchRequestContentCollection(graph, MaxRequests);
            for (var i = 0; i < items.Count; i++)
            {
                items[i].Rounds++;
                await items[i].AddAsync(content, graph, $"{i}");
            }

            GraphTelemetry.BatchedRequests.Add(content.BatchRequestSteps.Count);
            var response = await graph.Batch.PostAsync(content);
            var answers = new BatchAnswers(response, await response.GetResponsesStatusCodesAsync(), tenantId, clients.Options.ClientId, time.GetUtcNow());
            for (var i = 0; i < items.Count; i++)
            {
                try
                {
                    outcomes.Add((items[i], await items[i].ReadAsync(answers, $"{i}")));
                }
                catch (Exception ex)
                {
                    items[i].Fail(GraphErrors.Map(ex, tenantId, clients.Options.ClientId));
                }
            }
        }
        catch (Exception ex)
        {
            // The batch itself failed after the resilience handler's own retries: every call in it fails alike.
            var error = GraphErrors.Map(ex, tenantId, clients.Options.ClientId);
            activity?.SetStatus(ActivityStatusCode.Error, error.Reason);
            foreach (var item in items)
            {
                item.Fail(error);
            }

            return;
        }

        await RequeueAsync(outcomes.Where(o => !o.Outcome.Finished).ToList());
    }

    private async Task RequeueAsync(List<(BatchItem Item, RoundOutcome Outcome)> again)
    {
        if (again.Count == 0)
        {
            return;
        }

        var throttled = again.Where(o => o.Outcome.Throttled).ToArray();
        if (throttled.Length > 0)
        {
            // Inner 429s hold the whole tenant (or, for the app's own buckets, every tenant) at the governor, exactly like top-level ones.
            GraphTelemetry.Throttled.Add(throttled.Length);
            foreach (var o in throttled)
            {
                governor.Throttled(tenantId, o.Outcome.RetryAfter ?? TimeSpan.FromSeconds(1), o.Outcome.Scope);
            }
        }

        var backOff = again.Where(o => o.Outcome.RetryAfter is null).Select(o => o.Item.Rounds).DefaultIfEmpty(0).Max();
        if (backOff > 0)
        {
            await Task.Delay(clients.Options.Backoff(backOff), time);
        }

        foreach (var (item, _) in again)
        {
            if (item.Rounds >= clients.Options.MaxAttempts)
            {
                item.Fail(new OrchestratorException(ErrorKind.Unavailable, GraphErrors.GraphUnavailable,
                    $"Graph kept throttling or failing requests in tenant {tenantId}; the work will be retried."));
                continue;
            }

            Enqueue(item);
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
