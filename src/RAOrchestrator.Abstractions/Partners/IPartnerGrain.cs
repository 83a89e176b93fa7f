using RAOrchestrator.Abstractions.Indexes;

namespace RAOrchestrator.Abstractions.Partners;

/// <summary>
/// A partner (an MSP or an integration acting for one), keyed <c>partners/{partner}</c>: the index of the tenants it
/// manages and of its operations, its quota, and its bulk onboardings not done. Called by tenant and bulk grains; it
/// calls only bulk grains, to recount its running ones (they answer interleaved, so a bulk grain waiting on the
/// partner cannot deadlock it). Changes to the indexes interleave with every call (each decides without awaiting
/// anything, and those arriving during a write share the next one); lists show what storage holds; bulk starts and
/// finishes run one at a time.
/// </summary>
[Alias("raorch.IPartnerGrain")]
public interface IPartnerGrain : IGrainWithStringKey
{
    /// <summary>Adds a tenant to the index (idempotent); RESOURCE_EXHAUSTED when the partner's quota is full.</summary>
    [Alias("AddTenant"), AlwaysInterleave]
    Task AddTenantAsync(string tenantId);

    /// <summary>Removes a tenant from the index (idempotent).</summary>
    [Alias("RemoveTenant"), AlwaysInterleave]
    Task RemoveTenantAsync(string tenantId);

    /// <summary>Tenant ids in ascending order, after <paramref name="after"/> when given.</summary>
    [Alias("ListTenants"), ReadOnly]
    Task<KeyPage> ListTenantsAsync(string? after, int size);

    /// <summary>Records an operation of this partner (idempotent).</summary>
    [Alias("AddOperation"), AlwaysInterleave]
    Task AddOperationAsync(string operationId);

    /// <summary>Operation ids, newest first, after <paramref name="after"/> when given.</summary>
    [Alias("ListOperations"), ReadOnly]
    Task<KeyPage> ListOperationsAsync(string? after, int size);

    /// <summary>
    /// Counts a new bulk onboarding as running (idempotent for its operation id); RESOURCE_EXHAUSTED
    /// (PARTNER_BULK_LIMIT) when the partner already has its limit of bulk onboardings not done.
    /// </summary>
    [Alias("StartBulk")]
    Task StartBulkAsync(string operationId);

    /// <summary>A bulk onboarding is done (idempotent).</summary>
    [Alias("FinishBulk")]
    Task FinishBulkAsync(string operationId);
}
