using Azure.Data.Tables;

namespace RAOrchestrator.Grains.Sessions.Storage;

/// <summary>
/// Group commit of row inserts: inserts into one partition that wait while an earlier request to it is in flight go
/// out together as one entity-group transaction (at most <see cref="MaxRows"/> rows and <see cref="MaxBytes"/> of data),
/// so concurrent steps of many sessions cost one storage round trip instead of one each. A lone insert is sent at once,
/// so an idle store adds no wait.
/// </summary>
/// <remarks>
/// A transaction is all or nothing. When one of its rows is refused (<see cref="TableTransactionFailedException"/> names
/// it), that row's caller gets the failure and the others are sent again without it; any other failure is every
/// caller's. Requests run on the thread pool, never on the calling grain's scheduler.
/// </remarks>
public sealed class PartitionBatcher(TableClient table)
{
    /// <summary>The most rows a transaction may hold.</summary>
    public const int MaxRows = 100;

    /// <summary>Data bytes a transaction carries at most: base64 in a 4 MiB request body leaves room for about 3 MiB.</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private long _requests;
    private long _rows;
    private long _bytes;

    /// <summary>Storage requests sent so far (single inserts and transactions).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Rows stored so far.</summary>
    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>Data bytes of the rows stored so far.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Inserts <paramref name="row"/> (<paramref name="bytes"/> of data); completes when it is stored or refused.</summary>
    public Task InsertAsync(TableEntity row, int bytes)
    {
        var pending = new Pending(row, bytes);
        Lane lane;
        lock (_lanes)
        {
            if (!_lanes.TryGetValue(row.PartitionKey, out lane!))
            {
                lane = new Lane(row.PartitionKey);
                _lanes[row.PartitionKey] = lane;
            }

            lane.Queue.Enqueue(pending);
            if (lane.Sending)
            {
                return pending.Done.Task;
            }

            lane.Sending = true;
        }

        _ = Task.Run(() => SendAsync(lane));
        return pending.Done.Task;
    }

    private async Task SendAsync(Lane lane)
    {
        while (true)
        {
            var batch = new List<Pending>();
            lock (_lanes)
            {
                var bytes = 0;
                while (lane.Queue.TryPeek(out var next) && batch.Count < MaxRows && (batch.Count == 0 || bytes + next.Bytes <= MaxBytes))
                {
                    batch.Add(lane.Queue.Dequeue());
                    bytes += next.Bytes;
                }

                if (batch.Count == 0)
                {
                    // Idle: forget the lane, so partitions no longer written cost no memory.
                    lane.Sending = false;
                    _lanes.Remove(lane.Partition);
                    return;
                }
            }

            var retry = await CommitAsync(batch);
            if (retry.Count > 0)
            {
                lock (_lanes)
                {
                    // Back at the front, in their order: they were sent first.
                    foreach (var pending in lane.Queue)
                    {
                        retry.Add(pending);
                    }

                    lane.Queue.Clear();
                    foreach (var pending in retry)
                    {
                        lane.Queue.Enqueue(pending);
                    }
                }
            }
        }
    }

    /// <summary>Sends one request for <paramref name="batch"/>; answers the rows to send again.</summary>
    private async Task<List<Pending>> CommitAsync(List<Pending> batch)
    {
        Interlocked.Increment(ref _requests);
        try
        {
            if (batch.Count == 1)
            {
                await table.AddEntityAsync(batch[0].Row);
            }
            else
            {
                await table.SubmitTransactionAsync(batch.Select(p => new TableTransactionAction(TableTransactionActionType.Add, p.Row)));
            }
        }
        catch (TableTransactionFailedException ex) when (ex.FailedTransactionActionIndex is int failed && failed >= 0 && failed < batch.Count)
        {
            batch[failed].Done.TrySetException(ex);
            batch.RemoveAt(failed);
            return batch;
        }
        catch (Exception ex)
        {
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(ex);
            }

            return [];
        }

        Interlocked.Add(ref _rows, batch.Count);
        Telemetry.SessionStoreRowsPerRequest.Record(batch.Count);
        long bytes = 0;
        foreach (var pending in batch)
        {
            bytes += pending.Bytes;
            pending.Done.TrySetResult();
        }

        Interlocked.Add(ref _bytes, bytes);

        return [];
    }

    private sealed class Lane(string partition)
    {
        public string Partition { get; } = partition;

        public Queue<Pending> Queue { get; } = new();

        public bool Sending { get; set; }
    }

    private sealed class Pending(TableEntity row, int bytes)
    {
        public TableEntity Row { get; } = row;

        public int Bytes { get; } = bytes;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
