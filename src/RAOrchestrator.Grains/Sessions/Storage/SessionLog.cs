using Microsoft.Extensions.Logging;
using Orleans.Storage;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Grains.Sessions.Storage;

/// <summary>
/// One activation's stored session: reads the snapshot and replays the deltas after it, writes each step as one small
/// delta row (an insert of the next version, so a second activation that wrote it first makes this one fail with
/// <see cref="InconsistentStateException"/>), and every <see cref="CompactEvery"/> deltas folds them into a new
/// snapshot so activation replays few. A delta is durable once inserted; a compaction that fails changes nothing and
/// is tried again after the next step.
/// </summary>
public sealed partial class SessionLog(ISessionStore store, string key, ILogger logger)
{
    /// <summary>Deltas after the snapshot before a new snapshot is written.</summary>
    public const int CompactEvery = 32;

    private long _version;
    private long _snapshotVersion;
    private string? _etag;
    private bool _snapshotTaken;

    /// <summary>The state as stored: it changes only once a write of it is stored (<see cref="WriteAsync"/>, <see cref="AppendAsync"/>).</summary>
    public SessionGrainState State { get; private set; } = new();

    /// <summary>The session's grain key.</summary>
    public string Key => key;

    /// <summary>The newest stored version (0: nothing stored).</summary>
    public long Version => _version;

    /// <summary>The version of the stored snapshot.</summary>
    public long SnapshotVersion => _snapshotVersion;

    public async Task ReadAsync()
    {
        var stored = await store.ReadAsync(key);
        var state = stored.Snapshot ?? new SessionGrainState();
        var version = stored.SnapshotVersion;
        foreach (var (v, delta) in stored.Deltas)
        {
            if (v != version + 1 || state.Session is null)
            {
                throw new InvalidOperationException($"The stored log of {key} is broken: delta {v} follows version {version}{(state.Session is null ? " of a session not scheduled" : string.Empty)}.");
            }

            state.Session = delta.ApplyTo(state.Session);
            version = v;
        }

        State = state;
        _etag = stored.ETag;
        _snapshotVersion = stored.SnapshotVersion;
        _version = version;
        _snapshotTaken = false;
    }

    /// <summary>
    /// Writes <paramref name="next"/> whole as the next version (scheduling: the pending request, the new session; a
    /// session moved from elsewhere) and makes it <see cref="State"/> once stored.
    /// </summary>
    public async Task WriteAsync(SessionGrainState next)
    {
        var version = _version + 1;
        _etag = await store.WriteSnapshotAsync(key, version, next, _etag);
        _version = _snapshotVersion = version;
        State = next;
    }

    /// <summary>Stores the step from the current session to <paramref name="after"/> as one delta, then makes it the current session.</summary>
    public async Task AppendAsync(SessionState after)
    {
        var before = State.Session ?? throw new InvalidOperationException($"{key} has no session to change.");
        var version = _version + 1;
        await store.AppendAsync(key, version, SessionDelta.Between(before, after));
        _version = version;
        State.Session = after;
        if (_version - _snapshotVersion >= CompactEvery && !_snapshotTaken)
        {
            await CompactAsync();
        }
    }

    /// <summary>Deletes everything stored (an abandoned scheduling); the next write starts a new log.</summary>
    public async Task ClearAsync()
    {
        if (_etag is not null)
        {
            await store.ClearAsync(key, _etag);
        }

        State = new SessionGrainState();
        _etag = null;
        _version = _snapshotVersion = 0;
    }

    private async Task CompactAsync()
    {
        try
        {
            _etag = await store.WriteSnapshotAsync(key, _version, State, _etag);
            _snapshotVersion = _version;
        }
        catch (InconsistentStateException ex)
        {
            // Someone else wrote the snapshot: this activation's next append will find out whether it is still the
            // writer; until then it stops compacting (the deltas it writes are durable either way).
            _snapshotTaken = true;
            LogCompactionFailed(ex, key, _version);
        }
        catch (Exception ex)
        {
            // Storage away: the step is stored; compaction is tried again after the next one.
            LogCompactionFailed(ex, key, _version);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compacting the stored log of {Session} at version {Version} failed; its deltas stay")]
    private partial void LogCompactionFailed(Exception exception, string session, long version);
}
