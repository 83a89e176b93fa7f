using RAOrchestrator.Abstractions.Partners;

namespace RAOrchestrator.Abstractions.ServiceAccounts;

/// <summary>A sorted index of child ids under one parent (e.g. <c>tenants/{t}/serviceAccountIndex</c>), for paging.</summary>
[Alias("raorch.IKeyIndexGrain")]
public interface IKeyIndexGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task AddAsync(string key);

    [Alias("Remove")]
    Task RemoveAsync(string key);

    [Alias("List"), ReadOnly]
    Task<KeyPage> ListAsync(string? after, int size);
}
