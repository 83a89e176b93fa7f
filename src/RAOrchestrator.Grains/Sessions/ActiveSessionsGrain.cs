using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Grains.Storage;

namespace RAOrchestrator.Grains.Sessions;

/// <summary>Bound: the sessions active at once that hash to this shard (keys of ~80 bytes: ~10,000 per shard in 1 MB).</summary>
[GenerateSerializer, Alias("raorch.ActiveSessionsState")]
public sealed class ActiveSessionsState
{
    [Id(0)] public HashSet<string> Sessions { get; set; } = [];
}

/// <remarks>
/// The sessions of a shard often become active together (a morning's meetings start within seconds of each other), so
/// marks interleave and share writes (<see cref="GroupCommit{T}"/>): a mark made while a write is in flight goes out
/// with the next one, and each answers only once a write holding it has landed. The count is of what storage holds.
/// </remarks>
[GrainType("activesessions")]
public sealed class ActiveSessionsGrain([PersistentState("active", StorageNames.State)] IPersistentState<ActiveSessionsState> state) : Grain, IActiveSessionsGrain
{
    private GroupCommit<ActiveSessionsState>? _commit;
    private int _storedCount;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _storedCount = state.State.Sessions.Count;
        return Task.CompletedTask;
    }

    public Task MarkAsync(string session, bool active)
    {
        var changed = active ? state.State.Sessions.Add(session) : state.State.Sessions.Remove(session);

        // A repeat answers once the earlier mark's write (which may still be in flight) has landed.
        return changed ? Commit.CommitAsync() : Commit.SettledAsync();
    }

    public Task<int> CountAsync() => Task.FromResult(_storedCount);

    private GroupCommit<ActiveSessionsState> Commit => _commit ??= new(state, this, () =>
    {
        var written = state.State.Sessions.Count;
        return () => _storedCount = written;
    });
}
