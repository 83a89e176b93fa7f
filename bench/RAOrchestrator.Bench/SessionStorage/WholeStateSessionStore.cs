using System.Collections.Concurrent;
using System.Diagnostics;
using Orleans.Storage;
using RAOrchestrator.Domain.Sessions;
using RAOrchestrator.Grains.Sessions;
using RAOrchestrator.Grains.Sessions.Storage;

namespace RAOrchestrator.Bench.SessionStorage;

/// <summary>
/// The session grain's storage the <c>[PersistentState]</c> way, for the <c>session-storage</c> comparison: each step
/// is one write of the whole <see cref="SessionGrainState"/> (capped timeline included) through the
/// <see cref="IGrainStorage"/> every other grain uses (Azure Table, the Orleans serializer), with its etag, answered only
/// once that write is stored; a read on activation reads it back. Nothing is batched: the provider writes one row a grain.
/// <para>
/// The grain still hands it a <see cref="SessionDelta"/> a step (<see cref="SessionLog"/>), so it folds the delta into
/// the state it last wrote, the way <see cref="SessionLog.ReadAsync"/> replays one (<see cref="SessionDelta.ApplyTo"/>).
/// Computing and folding deltas is work a real <c>[PersistentState]</c> grain would not do: it is counted
/// (<see cref="DeltaTax"/>) so the report can say how much it burdens this arm.
/// </para>
/// </summary>
public sealed class WholeStateSessionStore(IGrainStorage storage) : ISessionStore
{
    /// <summary>The state name the grain would give its <c>[PersistentState]</c>.</summary>
    public const string StateName = "session";

    /// <summary>One step in this many also times <see cref="SessionDelta.Between"/> (the grain's side of the delta tax).</summary>
    private const int SampleEvery = 16;

    private readonly ConcurrentDictionary<string, Written> _written = new();
    private long _steps;
    private long _foldTicks;
    private long _sampledSteps;
    private long _sampledBetweenTicks;

    /// <summary>
    /// Per step on average, the CPU time the grain and this store spend on deltas, in microseconds: folding (every
    /// step timed) and computing them (<see cref="SessionDelta.Between"/>, timed on a sample); with the steps counted.
    /// </summary>
    public (long Steps, double FoldMicros, double BetweenMicros) DeltaTax
    {
        get
        {
            var steps = Interlocked.Read(ref _steps);
            var sampled = Interlocked.Read(ref _sampledSteps);
            return (steps,
                steps == 0 ? 0 : Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _foldTicks)).TotalMicroseconds / steps,
                sampled == 0 ? 0 : Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _sampledBetweenTicks)).TotalMicroseconds / sampled);
        }
    }

    public async Task<StoredSession> ReadAsync(string key)
    {
        var state = new GrainState<SessionGrainState>(new SessionGrainState());
        await storage.ReadStateAsync(StateName, IdOf(key), state);
        state.State ??= new SessionGrainState();
        var version = state.RecordExists ? 1 : 0;
        _written[key] = new Written(version, state);
        return state.RecordExists ? new StoredSession(Copy(state.State, state.State.Session), version, state.ETag, []) : StoredSession.Empty;
    }

    public async Task AppendAsync(string key, long version, SessionDelta delta)
    {
        var written = WrittenOf(key);
        var before = written.State.State!.Session ?? throw new InvalidOperationException($"{key} has no session to change.");
        var start = Stopwatch.GetTimestamp();
        var after = delta.ApplyTo(before);
        Interlocked.Add(ref _foldTicks, Stopwatch.GetTimestamp() - start);
        if (Interlocked.Increment(ref _steps) % SampleEvery == 0)
        {
            start = Stopwatch.GetTimestamp();
            _ = SessionDelta.Between(before, after);
            Interlocked.Add(ref _sampledBetweenTicks, Stopwatch.GetTimestamp() - start);
            Interlocked.Increment(ref _sampledSteps);
        }

        await WriteAsync(key, version, written, Copy(written.State.State, after));
    }

    public async Task<string> WriteSnapshotAsync(string key, long version, SessionGrainState state, string? etag)
    {
        var written = WrittenOf(key);
        if (version <= written.Version)
        {
            // The log's compaction: the whole state of that version is what was written last, nothing to do.
            return written.State.ETag ?? throw new InvalidOperationException($"{key} has no stored state to compact.");
        }

        return await WriteAsync(key, version, written, Copy(state, state.Session));
    }

    public async Task ClearAsync(string key, string etag)
    {
        var written = WrittenOf(key);
        var state = new GrainState<SessionGrainState>(written.State.State) { ETag = written.State.ETag, RecordExists = written.State.RecordExists };
        await storage.ClearStateAsync(StateName, IdOf(key), state);
        _written[key] = new Written(0, new GrainState<SessionGrainState>(new SessionGrainState()));
    }

    /// <summary>Writes <paramref name="next"/> whole with the etag of the last write; it is what is written once stored.</summary>
    private async Task<string> WriteAsync(string key, long version, Written written, SessionGrainState next)
    {
        var state = new GrainState<SessionGrainState>(next) { ETag = written.State.ETag, RecordExists = written.State.RecordExists };
        await storage.WriteStateAsync(StateName, IdOf(key), state);
        _written[key] = new Written(version, state);
        return state.ETag ?? throw new InvalidOperationException("Grain storage answered a write without an etag.");
    }

    private Written WrittenOf(string key) =>
        _written.TryGetValue(key, out var written) ? written : throw new InvalidOperationException($"{key} was written before it was read.");

    private static GrainId IdOf(string key) => GrainId.Create("session", key);

    private static SessionGrainState Copy(SessionGrainState state, SessionState? session) =>
        new() { PartnerId = state.PartnerId, RequestId = state.RequestId, Pending = state.Pending, Session = session };

    /// <summary>What was last written for a session: the log's version it stands for and the state with its etag.</summary>
    private sealed record Written(long Version, GrainState<SessionGrainState> State);
}
