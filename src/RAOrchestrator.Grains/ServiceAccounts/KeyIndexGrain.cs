using RAOrchestrator.Abstractions.Partners;
using RAOrchestrator.Abstractions.ServiceAccounts;

namespace RAOrchestrator.Grains.ServiceAccounts;

[GenerateSerializer, Alias("raorch.KeyIndexState")]
public sealed class KeyIndexState
{
    [Id(0)] public List<string> Keys { get; set; } = [];
}

[GrainType("keyindex")]
public sealed class KeyIndexGrain([PersistentState("index", StorageNames.State)] IPersistentState<KeyIndexState> state) : Grain, IKeyIndexGrain
{
    public async Task AddAsync(string key)
    {
        if (SortedKeys.Add(state.State.Keys, key))
        {
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public async Task AddRangeAsync(IReadOnlyList<string> keys)
    {
        var added = false;
        foreach (var key in keys)
        {
            added |= SortedKeys.Add(state.State.Keys, key);
        }

        if (added)
        {
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public async Task RemoveAsync(string key)
    {
        if (SortedKeys.Remove(state.State.Keys, key))
        {
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public async Task ClearAsync()
    {
        state.State = new KeyIndexState();
        await state.ClearStateAsync();
    }

    public Task<KeyPage> ListAsync(string? after, int size) => Task.FromResult(SortedKeys.Page(state.State.Keys, after, size));
}
