using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Grains.Sessions.Storage;

/// <summary>
/// Where session grains keep their state: per session a snapshot (the whole <see cref="SessionGrainState"/> at some
/// version) and an append-only log of <see cref="SessionDelta"/>s, one a step, numbered from 1 without gaps. Versions
/// count every write: a snapshot that changes the state (pending scheduling, the scheduled session) takes the next
/// version, a compaction snapshot takes the version of the newest delta it folds in. <see cref="SessionLog"/> is the
/// grain's side of it.
/// </summary>
public interface ISessionStore
{
    /// <summary>The snapshot and the deltas newer than it, oldest first; <see cref="StoredSession.Empty"/> when nothing is stored.</summary>
    Task<StoredSession> ReadAsync(string key);

    /// <summary>Inserts the delta of <paramref name="version"/>.</summary>
    /// <exception cref="Orleans.Storage.InconsistentStateException">That version is already stored: another activation wrote it.</exception>
    Task AppendAsync(string key, long version, SessionDelta delta);

    /// <summary>Replaces the snapshot if it is still the one with <paramref name="etag"/> (null: if there is none); answers the new etag.</summary>
    /// <exception cref="Orleans.Storage.InconsistentStateException">The snapshot changed or appeared since: another activation wrote it.</exception>
    Task<string> WriteSnapshotAsync(string key, long version, SessionGrainState state, string? etag);

    /// <summary>Deletes the snapshot if it is still the one with <paramref name="etag"/>, then every other row of the session.</summary>
    /// <exception cref="Orleans.Storage.InconsistentStateException">The snapshot changed since.</exception>
    Task ClearAsync(string key, string etag);
}

/// <summary>A session as read: the snapshot (null when none), its version and etag, and the deltas after it, oldest first.</summary>
public sealed record StoredSession(SessionGrainState? Snapshot, long SnapshotVersion, string? ETag, IReadOnlyList<StoredDelta> Deltas)
{
    public static StoredSession Empty { get; } = new(null, 0, null, []);
}

/// <summary>One delta row: the step's version and what it changed.</summary>
public readonly record struct StoredDelta(long Version, SessionDelta Delta);
