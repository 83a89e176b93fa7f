namespace RAOrchestrator.Abstractions.Indexes;

/// <summary>
/// One page of a key index (<see cref="IKeyIndexGrain"/>), keyed <c>{index}/pages/{n}</c>: the keys from its first key
/// up to the next page's, sorted. The index grain splits a page that grows past its bound.
/// </summary>
[Alias("raorch.IKeyIndexPageGrain")]
public interface IKeyIndexPageGrain : IGrainWithStringKey
{
    /// <summary>Adds the keys (one write, none when all are there); answers how many keys the page holds.</summary>
    [Alias("Add")]
    Task<int> AddAsync(IReadOnlyList<string> keys);

    [Alias("Remove")]
    Task RemoveAsync(string key);

    /// <summary>Drops every key from <paramref name="from"/> on (they moved to a page of their own).</summary>
    [Alias("RemoveFrom")]
    Task RemoveFromAsync(string from);

    /// <summary>Forgets every key (the index is cleared); idempotent.</summary>
    [Alias("Clear")]
    Task ClearAsync();

    /// <summary>The keys after <paramref name="after"/> and before <paramref name="before"/> (null: no bound), at most <paramref name="size"/>.</summary>
    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<string>> ListAsync(string? after, string? before, int size);
}
