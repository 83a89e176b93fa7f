using RAOrchestrator.Abstractions.Indexes;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Grains.Indexes;

/// <summary>
/// Bound: at most <see cref="KeyIndexGrain.MaxPages"/> page boundaries (~80 bytes each, ~320 KB); the keys live in
/// pages of their own rows (<see cref="KeyIndexPageGrain"/>), so an index holds millions of keys.
/// </summary>
[GenerateSerializer, Alias("raorch.KeyIndexState")]
public sealed class KeyIndexState
{
    /// <summary>The pages, by first key ("" for the first page), sorted.</summary>
    [Id(1)] public List<KeyIndexPageRef> Pages { get; set; } = [];

    [Id(2)] public int NextPage { get; set; }
}

[GenerateSerializer, Immutable, Alias("raorch.KeyIndexPageRef")]
public sealed record KeyIndexPageRef([property: Id(0)] string First, [property: Id(1)] int Page);

/// <summary>
/// A sorted index of child ids under one parent (sessions, service accounts of a tenant), paged over rows: a page
/// that passes <see cref="MaxPageKeys"/> is split in two (the new page is written first, then the boundary, then the
/// old page trimmed: a crash in between leaves keys that listing ignores outside their page's range).
/// </summary>
[GrainType("keyindex")]
public sealed class KeyIndexGrain([PersistentState("index", StorageNames.State)] IPersistentState<KeyIndexState> state) : Grain, IKeyIndexGrain
{
    /// <summary>Keys a page holds before it is split (ids of at most 64 characters: ~140 KB).</summary>
    public const int MaxPageKeys = 2_000;

    /// <summary>Pages an index may have (each holding 1,000 to 2,000 keys after a split): millions of keys.</summary>
    public const int MaxPages = 4_000;

    private KeyIndexState State => state.State;

    public Task AddAsync(string key) => AddRangeAsync([key]);

    public async Task AddRangeAsync(IReadOnlyList<string> keys)
    {
        if (State.Pages.Count == 0)
        {
            State.Pages = [new KeyIndexPageRef(string.Empty, 0)];
            State.NextPage = 1;
            await state.WriteOrDeactivateAsync(this);
        }

        // By page id, not position: a split inserts a page and moves the positions of those after it.
        foreach (var group in keys.GroupBy(key => State.Pages[PageIndexOf(key)].Page).ToArray())
        {
            var count = await Page(group.Key).AddAsync(group.ToArray());
            if (count > MaxPageKeys)
            {
                await SplitAsync(State.Pages.FindIndex(p => p.Page == group.Key));
            }
        }
    }

    public async Task RemoveAsync(string key)
    {
        if (State.Pages.Count > 0)
        {
            await Page(State.Pages[PageIndexOf(key)].Page).RemoveAsync(key);
        }
    }

    /// <summary>
    /// Every page first (with the next page number too: a split cut short may have filled it), the index last, so a
    /// clear cut short leaves an index that still names its pages and clears them on a repeat.
    /// </summary>
    public async Task ClearAsync()
    {
        for (var page = 0; page <= State.NextPage && State.Pages.Count > 0; page++)
        {
            await Page(page).ClearAsync();
        }

        state.State = new KeyIndexState();
        await state.ClearStateAsync();
    }

    public async Task<KeyPage> ListAsync(string? after, int size)
    {
        var keys = new List<string>();
        for (var index = after is null ? 0 : PageIndexOf(after); index < State.Pages.Count && keys.Count <= size; index++)
        {
            var before = index + 1 < State.Pages.Count ? State.Pages[index + 1].First : null;
            keys.AddRange(await Page(State.Pages[index].Page).ListAsync(keys.Count > 0 ? keys[^1] : after, before, size + 1 - keys.Count));
        }

        return new KeyPage(keys.Take(size).ToArray(), keys.Count > size);
    }

    /// <summary>The upper half of a full page moves to a new page.</summary>
    private async Task SplitAsync(int index)
    {
        if (State.Pages.Count >= MaxPages)
        {
            throw BoundReasons.Exhausted(BoundReasons.IndexFull,
                $"{this.GetPrimaryKeyString()} holds as many keys as it may ({MaxPages:N0} pages of up to {MaxPageKeys:N0}).",
                "key_index_pages", MaxPages);
        }

        var before = index + 1 < State.Pages.Count ? State.Pages[index + 1].First : null;
        var keys = await Page(State.Pages[index].Page).ListAsync(null, before, MaxPageKeys * 2);
        var upper = keys.Skip(keys.Count / 2).ToArray();
        var next = State.NextPage;
        await Page(next).AddAsync(upper);
        State.Pages.Insert(index + 1, new KeyIndexPageRef(upper[0], next));
        State.NextPage = next + 1;
        await state.WriteOrDeactivateAsync(this);
        await Page(State.Pages[index].Page).RemoveFromAsync(upper[0]);
    }

    /// <summary>The page whose range holds the key: the last whose first key is not after it.</summary>
    private int PageIndexOf(string key)
    {
        var (low, high) = (0, State.Pages.Count - 1);
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (string.CompareOrdinal(State.Pages[middle].First, key) <= 0)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }

    private IKeyIndexPageGrain Page(int page) => GrainFactory.GetGrain<IKeyIndexPageGrain>($"{this.GetPrimaryKeyString()}/pages/{page}");
}
