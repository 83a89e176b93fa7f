namespace RAOrchestrator.Abstractions.Bulk;

/// <summary>
/// One part of a bulk onboarding's tenants (names, settings and service-account plans), keyed
/// <c>bulkOnboardings/{operation}/plans/{part}</c>. A bulk can hold tens of thousands of accounts and thousands of
/// allow lists, more than one storage entity takes, so they are spread over parts (<c>BulkPlanParts</c>) and the
/// coordinator keeps only each tenant's id, status and counts.
/// </summary>
[Alias("raorch.IBulkPlanGrain")]
public interface IBulkPlanGrain : IGrainWithStringKey
{
    /// <summary>Stores these tenants as the request listed them (with their accounts); a repeat stores nothing new.</summary>
    [Alias("StoreTenants")]
    Task StoreTenantsAsync(IReadOnlyList<BulkTenant> tenants);

    /// <summary>A tenant as the request listed it, without its accounts; null when it is not in this part.</summary>
    [Alias("GetTenant"), ReadOnly]
    Task<BulkTenant?> GetTenantAsync(string tenantId);

    /// <summary>A tenant's accounts, in the order the request listed them; empty when it has none here.</summary>
    [Alias("Get"), ReadOnly]
    Task<IReadOnlyList<BulkServiceAccount>> GetAsync(string tenantId);
}
