using System.Text.Json.Nodes;

namespace RAOrchestrator.GraphEmulator.State;

/// <summary>
/// One Graph request as the emulator saw it: when it arrived (before any injected latency), when it was answered,
/// for which app and tenant, and the answer's status and Retry-After. Inner <c>$batch</c> requests are logged too,
/// with the batch's arrival and answer times (a client learns of an inner answer only with its batch's). Status 0 is a
/// dropped connection.
/// </summary>
public sealed record GraphRequestRecord(
    DateTimeOffset Arrived,
    DateTimeOffset Answered,
    string App,
    string Tenant,
    string Endpoint,
    int Status,
    int? RetryAfterSeconds,
    bool Inner);

/// <summary>
/// The newest Graph requests (bounded), read by tests and <c>GET /_emulator/requests</c>, so a client's behaviour
/// can be checked request by request: e.g. that nothing came back before a Retry-After had passed.
/// </summary>
public sealed class RequestLog(int capacity = 200_000)
{
    private readonly Lock _sync = new();
    private readonly Queue<GraphRequestRecord> _records = new();

    public void Add(GraphRequestRecord record)
    {
        lock (_sync)
        {
            _records.Enqueue(record);
            if (_records.Count > capacity)
            {
                _records.Dequeue();
            }
        }
    }

    public IReadOnlyList<GraphRequestRecord> Snapshot()
    {
        lock (_sync)
        {
            return _records.ToArray();
        }
    }

    public void Clear()
    {
        lock (_sync)
        {
            _records.Clear();
        }
    }

    /// <summary>
    /// Top-level requests that arrived while their app+tenant had been told to wait: after an answer carrying
    /// Retry-After (a 429 or 503, top-level or inside a batch) and before that many seconds had passed. Requests
    /// arriving within <paramref name="inFlight"/> of that answer were already on the wire and are not counted.
    /// </summary>
    public IReadOnlyList<(GraphRequestRecord Request, GraphRequestRecord Told)> EarlyRequests(TimeSpan inFlight)
    {
        var early = new List<(GraphRequestRecord, GraphRequestRecord)>();
        foreach (var group in Snapshot().GroupBy(r => (r.App, r.Tenant)))
        {
            var waits = group.Where(r => r.RetryAfterSeconds is > 0).ToArray();
            foreach (var request in group.Where(r => !r.Inner))
            {
                var told = waits.FirstOrDefault(w => request.Arrived > w.Answered + inFlight && request.Arrived < w.Answered.AddSeconds(w.RetryAfterSeconds!.Value));
                if (told is not null)
                {
                    early.Add((request, told));
                }
            }
        }
        return early;
    }

    public JsonArray ToJson()
    {
        var array = new JsonArray();
        foreach (var r in Snapshot())
        {
            array.Add(new JsonObject
            {
                ["arrived"] = r.Arrived,
                ["answered"] = r.Answered,
                ["app"] = r.App,
                ["tenant"] = r.Tenant,
                ["endpoint"] = r.Endpoint,
                ["status"] = r.Status,
                ["retryAfterSeconds"] = r.RetryAfterSeconds,
                ["inner"] = r.Inner,
            });
        }
        return array;
    }
}
