using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Orleans.Serialization;
using Orleans.Storage;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Grains.Sessions.Storage;

/// <summary>
/// <see cref="ISessionStore"/> in an Azure Table (Azurite locally). Sessions are spread over <see cref="Shards"/>
/// partitions by a stable hash of their grain key, so that steps of different sessions that are stored at the same
/// time share entity-group transactions (<see cref="PartitionBatcher"/>): one round trip for many steps. A session's
/// rows are keyed by its escaped grain key and a separator (<see cref="RowPrefix"/>), then:
/// <list type="bullet">
/// <item>the snapshot, <c>-snapshot</c>: <c>Version</c> and the <see cref="SessionGrainState"/> written with the
/// Orleans serializer, in binary properties <c>Data0</c>, <c>Data1</c>, ... of at most 64 KiB each (the limit of one
/// property; an entity holds at most 1 MiB, so about 960 KiB of state);</item>
/// <item>one row a delta, the version subtracted from <see cref="long.MaxValue"/>, zero-padded to 19 digits, so the
/// newest rows come first and sort after the snapshot; the serialized <see cref="SessionDelta"/> in the same
/// <c>Data</c> properties.</item>
/// </list>
/// Deltas are inserted, never upserted, so a version is written once (an insert that finds its own bytes already
/// there, because its first answer was lost and it was sent again, counts as written); a snapshot is replaced only
/// with its etag (likewise, a replacement sent again that finds its own version and bytes counts as written).
/// Deltas a snapshot supersedes stay where they are (a session's log is bounded by its event bound, see
/// <see cref="SessionLimits"/>): deleting them would let a stale activation insert an old version again unnoticed.
/// A read is one range query over the session's rows in pages of <see cref="PageSize"/> that stops at the first
/// superseded delta, so it fetches the snapshot and the deltas after it, not the whole history.
/// </summary>
public sealed class TableSessionStore : ISessionStore
{
    public const string DefaultTableName = "RAOrchestratorSessions";

    /// <summary>Partitions sessions are spread over. Part of the stored layout: changing it loses every stored session.</summary>
    public const int Shards = 64;

    /// <summary>Sorts before every delta row (digits).</summary>
    public const string SnapshotRowKey = "-snapshot";

    /// <summary>Rows a query page: the snapshot and more deltas than compaction leaves between snapshots.</summary>
    private const int PageSize = 64;

    private const string VersionProperty = "Version";

    private readonly TableClient _table;
    private readonly Serializer _serializer;
    private readonly PartitionBatcher _batcher;
    private Task? _created;

    public TableSessionStore(TableServiceClient tables, Serializer serializer, string tableName = DefaultTableName)
    {
        _table = tables.GetTableClient(tableName);
        _serializer = serializer;
        _batcher = new PartitionBatcher(_table);
    }

    /// <summary>Requests, rows and data bytes the delta inserts have taken so far (rows ÷ requests is the mean transaction size).</summary>
    public (long Requests, long Rows, long Bytes) InsertStatistics => (_batcher.Requests, _batcher.Rows, _batcher.Bytes);

    /// <summary>The partition of a session: <c>s</c> and its shard, two hex digits (FNV-1a of the key's UTF-16 code units).</summary>
    public static string PartitionOf(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return "s" + (hash % Shards).ToString("x2", CultureInfo.InvariantCulture);
    }

    /// <summary>What every row key of the session starts with: the escaped key (with <c>|</c> escaped too) and <c>|</c>.</summary>
    public static string RowPrefix(string key) => TableKeys.Escape(key).Replace("|", "%7C", StringComparison.Ordinal) + "|";

    /// <summary>The query filter for every row of a session, whatever its version.</summary>
    public static string RowsOf(string key)
    {
        var prefix = RowPrefix(key);
        return TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(key)} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + "}"}");
    }

    public async Task<StoredSession> ReadAsync(string key)
    {
        var table = await TableAsync();
        return await ReadRowsAsync(table, RowsOf(key), RowPrefix(key));
    }

    public async Task AppendAsync(string key, long version, SessionDelta delta)
    {
        var table = await TableAsync();
        var row = new TableEntity(PartitionOf(key), RowPrefix(key) + DeltaRowKey(version));
        var data = _serializer.SerializeToArray(delta);
        TableBinary.Write(row, data);
        try
        {
            await _batcher.InsertAsync(row, data.Length);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // An insert whose answer was lost is sent again by the client library and then finds its own row: the
            // same bytes mean this write is stored. Anything else is another activation's step.
            var stored = await table.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey);
            if (stored.HasValue && TableBinary.Read(stored.Value!).AsSpan().SequenceEqual(data))
            {
                return;
            }

            throw new InconsistentStateException($"Version {version} of {key} was already written by another activation.", ex);
        }
    }

    public async Task<string> WriteSnapshotAsync(string key, long version, SessionGrainState state, string? etag)
    {
        var table = await TableAsync();
        var row = new TableEntity(PartitionOf(key), RowPrefix(key) + SnapshotRowKey) { [VersionProperty] = version };
        var data = _serializer.SerializeToArray(state);
        TableBinary.Write(row, data);
        try
        {
            var response = etag is null
                ? await table.AddEntityAsync(row)
                : await table.UpdateEntityAsync(row, new ETag(etag), TableUpdateMode.Replace);
            return response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("Table storage answered a write without an etag.");
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            // A write whose answer was lost is sent again by the client library and then finds its own row changed:
            // the same version with the same bytes means this write is stored, under the row's etag now.
            var stored = await table.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey);
            if (stored.HasValue && stored.Value!.GetInt64(VersionProperty) == version && TableBinary.Read(stored.Value).AsSpan().SequenceEqual(data))
            {
                return stored.Value.ETag.ToString();
            }

            throw new InconsistentStateException($"The snapshot of {key} changed since it was read (writing version {version}).", etag ?? string.Empty, string.Empty, ex);
        }
    }

    public async Task ClearAsync(string key, string etag)
    {
        var table = await TableAsync();
        try
        {
            await table.DeleteEntityAsync(PartitionOf(key), RowPrefix(key) + SnapshotRowKey, new ETag(etag));
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            throw new InconsistentStateException($"The snapshot of {key} changed since it was read (clearing).", etag, string.Empty, ex);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone: this delete's first attempt, whose answer was lost, or another's; either way there is no
            // snapshot, which is what clearing asks for.
        }

        // Deltas exist only once a session is scheduled, and the grain clears only an abandoned scheduling; this
        // sweeps whatever else the session holds all the same (a read ignores deltas without a snapshot), so a cleared
        // session never comes back from them.
        await DeleteAllAsync(table, RowsOf(key));
    }

    /// <summary>The row key of a delta (after the session's prefix): newest first.</summary>
    public static string DeltaRowKey(long version) => (long.MaxValue - version).ToString("D19", CultureInfo.InvariantCulture);

    private static long DeltaVersion(string rowKey, int prefixLength) =>
        long.MaxValue - long.Parse(rowKey.AsSpan(prefixLength), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>The snapshot and the deltas after it among the rows <paramref name="filter"/> selects (keys after <paramref name="prefix"/>).</summary>
    private async Task<StoredSession> ReadRowsAsync(TableClient table, string filter, string prefix)
    {
        SessionGrainState? snapshot = null;
        long snapshotVersion = 0;
        string? etag = null;
        var newest = new List<StoredDelta>();
        var query = table.QueryAsync<TableEntity>(filter, maxPerPage: PageSize);
        await foreach (var page in query.AsPages())
        {
            foreach (var row in page.Values)
            {
                if (row.RowKey.Length == prefix.Length + SnapshotRowKey.Length && row.RowKey.EndsWith(SnapshotRowKey, StringComparison.Ordinal))
                {
                    snapshot = _serializer.Deserialize<SessionGrainState>(TableBinary.Read(row));
                    snapshotVersion = row.GetInt64(VersionProperty) ?? 0;
                    etag = row.ETag.ToString();
                    continue;
                }

                var version = DeltaVersion(row.RowKey, prefix.Length);
                if (snapshot is null || version <= snapshotVersion)
                {
                    // Superseded (or left by a clear that was cut short): everything after it is older still.
                    return Done();
                }

                newest.Add(new StoredDelta(version, _serializer.Deserialize<SessionDelta>(TableBinary.Read(row))!));
            }
        }

        return Done();

        StoredSession Done()
        {
            newest.Reverse();
            return snapshot is null ? StoredSession.Empty : new StoredSession(snapshot, snapshotVersion, etag, newest);
        }
    }

    private static async Task DeleteAllAsync(TableClient table, string filter)
    {
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"]))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All);
        }
    }

    /// <summary>The table, created on first use (again after a failed attempt).</summary>
    private async Task<TableClient> TableAsync()
    {
        var created = _created ??= _table.CreateIfNotExistsAsync();
        try
        {
            await created;
        }
        catch
        {
            _ = Interlocked.CompareExchange(ref _created, null, created);
            throw;
        }

        return _table;
    }
}
