using RAOrchestrator.Abstractions.Sessions;

namespace RAOrchestrator.Grains.Sessions;

/// <summary>Bound: the sessions active at once that hash to this shard (keys of ~80 bytes: ~10,000 per shard in 1 MB).</summary>
[GenerateSerializer, Alias("raorch.ActiveSessionsState")]
public sealed class ActiveSessionsState
{
    [Id(0)] public HashSet<string> Sessions { get; set; } = [];
}

[GrainType("activesessions")]
public sealed class ActiveSessionsGrain([PersistentState("active", StorageNames.State)] IPersistentState<ActiveSessionsState> state) : Grain, IActiveSessionsGrain
{
    public async Task MarkAsync(string session, bool active)
    {
        var changed = active ? state.State.Sessions.Add(session) : state.State.Sessions.Remove(session);
        if (changed)
        {
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public Task<int> CountAsync() => Task.FromResult(state.State.Sessions.Count);
}
