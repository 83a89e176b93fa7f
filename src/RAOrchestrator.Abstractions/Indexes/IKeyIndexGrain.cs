namespace RAOrchestrator.Abstractions.Indexes;

/// <summary>A sorted index of child ids under one parent (e.g. <c>tenants/{t}/serviceAccountIndex</c>), for paging.</summary>
[Alias("raorch.IKeyIndexGrain")]
public interface IKeyIndexGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task AddAsync(string key);

    /// <summary>Adds many keys with one write (none when all are there).</summary>
    [Alias("AddRange")]
    Task AddRangeAsync(IReadOnlyList<string> keys);

    [Alias("Remove")]
    Task RemoveAsync(string key);

    /// <summary>Forgets every key (the parent is gone); idempotent.</summary>
    [Alias("Clear")]
    Task ClearAsync();

    [Alias("List"), ReadOnly]
    Task<KeyPage> ListAsync(string? after, int size);
}
