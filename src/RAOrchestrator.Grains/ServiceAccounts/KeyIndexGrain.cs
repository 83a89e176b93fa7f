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
        var index = state.State.Keys.BinarySearch(key, StringComparer.Ordinal);
        if (index < 0)
        {
            state.State.Keys.Insert(~index, key);
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public async Task RemoveAsync(string key)
    {
        var index = state.State.Keys.BinarySearch(key, StringComparer.Ordinal);
        if (index >= 0)
        {
            state.State.Keys.RemoveAt(index);
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public Task<KeyPage> ListAsync(string? after, int size)
    {
        var keys = state.State.Keys;
        var start = 0;
        if (after is not null)
        {
            var found = keys.BinarySearch(after, StringComparer.Ordinal);
            start = found >= 0 ? found + 1 : ~found;
        }

        var page = keys.Skip(start).Take(size).ToArray();
        return Task.FromResult(new KeyPage(page, start + page.Length < keys.Count));
    }
}
