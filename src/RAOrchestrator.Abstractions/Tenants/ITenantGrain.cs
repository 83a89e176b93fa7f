using RAOrchestrator.Abstractions.Operations;

namespace RAOrchestrator.Abstractions.Tenants;

/// <summary>
/// One managed customer tenant, keyed by its resource name <c>tenants/{tenant-id}</c>. Owns the owning partner,
/// the onboarding/offboarding workflow (resumed by a reminder after a crash) and the tenant's settings.
/// Every method takes the calling partner and answers NOT_FOUND to any other partner.
/// </summary>
[Alias("raorch.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Starts onboarding; a retry with the same request id returns the first result.</summary>
    [Alias("Create")]
    Task<TenantCreated> CreateAsync(CreateTenant command);

    /// <summary>The tenant as the partner sees it, or null when it does not exist for that partner.</summary>
    [Alias("TryGet"), ReadOnly]
    Task<TenantView?> TryGetAsync(string partnerId);

    /// <summary>Changes settings; throws ABORTED on a version mismatch.</summary>
    [Alias("Update")]
    Task<TenantView> UpdateAsync(UpdateTenant command);

    /// <summary>Starts offboarding and returns its operation.</summary>
    [Alias("Delete")]
    Task<OperationView> DeleteAsync(DeleteTenant command);

    /// <summary>Re-runs the readiness checks as an operation; FAILED_PRECONDITION while another workflow runs.</summary>
    [Alias("CheckReadiness")]
    Task<OperationView> CheckReadinessAsync(CheckTenantReadiness command);

    /// <summary>The PowerShell runbook for what Graph cannot set, from the latest checks; null when not visible.</summary>
    [Alias("GetRunbook")]
    Task<string?> GetRunbookAsync(string partnerId);

    /// <summary>
    /// What a session of another tenant needs to know of this one, whichever partner manages it: whether it is
    /// onboarded and ACTIVE, and whom its external access allows. Grain-to-grain only; never shown to a partner.
    /// </summary>
    [Alias("GetFederationFacts"), ReadOnly]
    Task<TenantFederationFacts> GetFederationFactsAsync();

    /// <summary>
    /// The licence inventory onboarding read and when, or null when not visible or not read yet. Lets a bulk
    /// onboarding seed the seat ledger instead of reading the same inventory from Graph again.
    /// </summary>
    [Alias("GetLicences"), ReadOnly]
    Task<TenantLicences?> GetLicencesAsync(string partnerId);

    /// <summary>Runs the pending workflow steps, if any; called by the grain itself and by its reminder.</summary>
    [Alias("ResumeWorkflow")]
    Task ResumeWorkflowAsync();
}

/// <summary>See <see cref="ITenantGrain.GetFederationFactsAsync"/>.</summary>
[GenerateSerializer, Immutable, Alias("raorch.TenantFederationFacts")]
public sealed record TenantFederationFacts(
    [property: Id(0)] bool Active,
    [property: Id(1)] IReadOnlyList<string> ExternalAccessAllowedTenants);

/// <summary>See <see cref="ITenantGrain.GetLicencesAsync"/>.</summary>
[GenerateSerializer, Immutable, Alias("raorch.TenantLicences")]
public sealed record TenantLicences(
    [property: Id(0)] IReadOnlyList<Domain.Directory.LicenceSku> Skus,
    [property: Id(1)] DateTimeOffset ReadAt);
