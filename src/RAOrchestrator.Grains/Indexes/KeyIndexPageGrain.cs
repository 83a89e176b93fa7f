using RAOrchestrator.Abstractions.Indexes;

namespace RAOrchestrator.Grains.Indexes;

/// <summary>Bound: at most <see cref="KeyIndexGrain.MaxPageKeys"/> keys of at most 64 characters (~140 KB) before the index splits it.</summary>
[GenerateSerializer, Alias("raorch.KeyIndexPageState")]
public sealed class KeyIndexPageState
{
    [Id(0)] public List<string> Keys { get; set; } = [];
}

[GrainType("keyindexpage")]
public sealed class KeyIndexPageGrain([PersistentState("page", StorageNames.State)] IPersistentState<KeyIndexPageState> state) : Grain, IKeyIndexPageGrain
{
    private List<string> Keys => state.State.Keys;

    public async Task<int> AddAsync(IReadOnlyList<string> keys)
    {
        var added = false;
        foreach (var key in keys)
        {
            added |= SortedKeys.Add(Keys, key);
        }

        if (added)
        {
            await state.WriteOrDeactivateAsync(this);
        }

        return Keys.Count;
    }

    public async Task RemoveAsync(string key)
    {
        if (SortedKeys.Remove(Keys, key))
        {
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public async Task RemoveFromAsync(string from)
    {
        var index = Keys.BinarySearch(from, StringComparer.Ordinal);
        var start = index >= 0 ? index : ~index;
        if (start < Keys.Count)
        {
            Keys.RemoveRange(start, Keys.Count - start);
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public async Task ClearAsync()
    {
        state.State = new KeyIndexPageState();
        await state.ClearStateAsync();
    }

    public Task<IReadOnlyList<string>> ListAsync(string? after, string? before, int size)
    {
        var page = SortedKeys.Page(Keys, after, size);
        IReadOnlyList<string> keys = before is null ? page.Keys : page.Keys.TakeWhile(k => string.CompareOrdinal(k, before) < 0).ToArray();
        return Task.FromResult(keys);
    }
}
