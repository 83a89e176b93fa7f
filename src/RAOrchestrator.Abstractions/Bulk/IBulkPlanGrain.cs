namespace RAOrchestrator.Abstractions.Bulk;

/// <summary>
/// One part of a bulk onboarding's service-account plans, keyed <c>bulkOnboardings/{operation}/plans/{part}</c>. Plans
/// can hold tens of thousands of accounts, more than one storage entity takes, so they are spread over parts of at
/// most <c>BulkPlanParts.MaxAccountsPerPart</c> accounts and the coordinator keeps only counts.
/// </summary>
[Alias("raorch.IBulkPlanGrain")]
public interface IBulkPlanGrain : IGrainWithStringKey
{
    /// <summary>Stores the plans of these tenants; a repeat stores nothing new.</summary>
    [Alias("Store")]
    Task StoreAsync(IReadOnlyDictionary<string, IReadOnlyList<BulkServiceAccount>> plans);

    /// <summary>A tenant's accounts, in the order the request listed them; empty when it has none here.</summary>
    [Alias("Get"), ReadOnly]
    Task<IReadOnlyList<BulkServiceAccount>> GetAsync(string tenantId);
}
