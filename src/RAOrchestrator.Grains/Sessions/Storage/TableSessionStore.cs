using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Orleans.Serialization;
using Orleans.Storage;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Grains.Sessions.Storage;

/// <summary>
/// <see cref="ISessionStore"/> in an Azure Table (Azurite locally), one partition a session (the escaped grain key):
/// <list type="bullet">
/// <item>the snapshot, row <c>-snapshot</c>: <c>Version</c> and the <see cref="SessionGrainState"/> written with the
/// Orleans serializer, in binary properties <c>Data0</c>, <c>Data1</c>, ... of at most 64 KiB each (the limit of one
/// property; an entity holds at most 1 MiB, so about 960 KiB of state);</item>
/// <item>one row a delta, row key the version subtracted from <see cref="long.MaxValue"/>, zero-padded to 19 digits, so
/// the newest rows come first and sort after the snapshot; the serialized <see cref="SessionDelta"/> in the same
/// <c>Data</c> properties.</item>
/// </list>
/// Deltas are inserted, never upserted, so a version is written once (an insert that finds its own bytes already
/// there, because its first answer was lost and it was sent again, counts as written); a snapshot is replaced only
/// with its etag.
/// Deltas a snapshot supersedes stay where they are (a session's log is bounded by its event bound, see
/// <see cref="SessionLimits"/>): deleting them would let a stale activation insert an old version again unnoticed.
/// A read is one partition query in pages of <see cref="PageSize"/> that stops at the first superseded delta, so it
/// fetches the snapshot and the deltas after it, not the whole history.
/// </summary>
public sealed class TableSessionStore(TableServiceClient tables, Serializer serializer, string tableName = TableSessionStore.DefaultTableName) : ISessionStore
{
    public const string DefaultTableName = "RAOrchestratorSessions";

    /// <summary>Sorts before every delta row (digits).</summary>
    public const string SnapshotRowKey = "-snapshot";

    /// <summary>Rows a query page: the snapshot and more deltas than compaction leaves between snapshots.</summary>
    private const int PageSize = 64;

    private const string VersionProperty = "Version";

    private readonly TableClient _table = tables.GetTableClient(tableName);
    private Task? _created;

    public async Task<StoredSession> ReadAsync(string key)
    {
        var table = await TableAsync();
        SessionGrainState? snapshot = null;
        long snapshotVersion = 0;
        string? etag = null;
        var newest = new List<StoredDelta>();
        var query = table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Escape(key)}"), maxPerPage: PageSize);
        await foreach (var page in query.AsPages())
        {
            foreach (var row in page.Values)
            {
                if (row.RowKey == SnapshotRowKey)
                {
                    snapshot = serializer.Deserialize<SessionGrainState>(TableBinary.Read(row));
                    snapshotVersion = row.GetInt64(VersionProperty) ?? 0;
                    etag = row.ETag.ToString();
                    continue;
                }

                var version = DeltaVersion(row.RowKey);
                if (snapshot is null || version <= snapshotVersion)
                {
                    // Superseded (or left by a clear that was cut short): everything after it is older still.
                    return Done();
                }

                newest.Add(new StoredDelta(version, serializer.Deserialize<SessionDelta>(TableBinary.Read(row))!));
            }
        }

        return Done();

        StoredSession Done()
        {
            newest.Reverse();
            return snapshot is null ? StoredSession.Empty : new StoredSession(snapshot, snapshotVersion, etag, newest);
        }
    }

    public async Task AppendAsync(string key, long version, SessionDelta delta)
    {
        var table = await TableAsync();
        var row = new TableEntity(TableKeys.Escape(key), DeltaRowKey(version));
        var data = serializer.SerializeToArray(delta);
        TableBinary.Write(row, data);
        try
        {
            await table.AddEntityAsync(row);
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
        var row = new TableEntity(TableKeys.Escape(key), SnapshotRowKey) { [VersionProperty] = version };
        TableBinary.Write(row, serializer.SerializeToArray(state));
        try
        {
            var response = etag is null
                ? await table.AddEntityAsync(row)
                : await table.UpdateEntityAsync(row, new ETag(etag), TableUpdateMode.Replace);
            return response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("Table storage answered a write without an etag.");
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            throw new InconsistentStateException($"The snapshot of {key} changed since it was read (writing version {version}).", etag ?? string.Empty, string.Empty, ex);
        }
    }

    public async Task ClearAsync(string key, string etag)
    {
        var table = await TableAsync();
        var partition = TableKeys.Escape(key);
        try
        {
            await table.DeleteEntityAsync(partition, SnapshotRowKey, new ETag(etag));
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            throw new InconsistentStateException($"The snapshot of {key} changed since it was read (clearing).", etag, string.Empty, ex);
        }

        // Deltas exist only once a session is scheduled, and the grain clears only an abandoned scheduling; this
        // sweeps whatever else the partition holds all the same (a read ignores deltas without a snapshot).
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"]))
        {
            await table.DeleteEntityAsync(partition, row.RowKey, ETag.All);
        }
    }

    /// <summary>The row key of a delta: newest first.</summary>
    public static string DeltaRowKey(long version) => (long.MaxValue - version).ToString("D19", CultureInfo.InvariantCulture);

    private static long DeltaVersion(string rowKey) => long.MaxValue - long.Parse(rowKey, NumberStyles.None, CultureInfo.InvariantCulture);

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
