using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Domain.Tenants;
using RAOrchestrator.Domain.Tenants.Ownership;

namespace RAOrchestrator.Abstractions.Tenants;

/// <summary>
/// One managed customer tenant, keyed by its resource name <c>tenants/{tenant-id}</c>. Owns the owning partner,
/// the onboarding/offboarding workflow (resumed by a reminder after a crash) and the tenant's settings.
/// Every method takes the calling partner and answers NOT_FOUND to any other partner.
/// </summary>
/// <remarks>
/// Reads (ReadOnly, AlwaysInterleave) answer from memory without awaiting anything, so they answer even while a
/// workflow step holds the grain's turn waiting on Graph; every caller that acts on the tenant asks one of them first.
/// </remarks>
[Alias("raorch.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Starts onboarding; a retry with the same request id returns the first result.</summary>
    [Alias("Create")]
    Task<TenantCreated> CreateAsync(CreateTenant command);

    /// <summary>The tenant when this partner owns it now, else null. What every caller that acts on the tenant asks.</summary>
    [Alias("TryGet"), ReadOnly, AlwaysInterleave]
    Task<TenantView?> TryGetAsync(string partnerId);

    /// <summary>The tenant's settings when this partner owns it now, else null: what a session step reads (immutable, so not copied).</summary>
    [Alias("GetSettings"), ReadOnly, AlwaysInterleave]
    Task<TenantSettings?> GetSettingsAsync(string partnerId);

    /// <summary>
    /// The tenant when this partner owns it, or the partner's own claim waiting for approval (AwaitingApproval), else
    /// null. For showing a partner its tenants, never for acting on one.
    /// </summary>
    [Alias("Find"), ReadOnly, AlwaysInterleave]
    Task<TenantView?> FindAsync(string partnerId);

    /// <summary>
    /// Whether a partner may see one of its operations on this tenant: any while it owns the tenant; otherwise only
    /// the operation of its own claim that never became ownership (waiting, declined, superseded, expired, withdrawn),
    /// and, once it offboarded the tenant, its operations until another partner owns it.
    /// </summary>
    [Alias("IsOperationVisible"), ReadOnly, AlwaysInterleave]
    Task<bool> IsOperationVisibleAsync(string partnerId, string operationId);

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
    [Alias("GetFederationFacts"), ReadOnly, AlwaysInterleave]
    Task<TenantFederationFacts> GetFederationFactsAsync();

    /// <summary>
    /// The licence inventory onboarding read and when, or null when not visible or not read yet. Lets a bulk
    /// onboarding seed the seat ledger instead of reading the same inventory from Graph again.
    /// </summary>
    [Alias("GetLicences"), ReadOnly, AlwaysInterleave]
    Task<TenantLicences?> GetLicencesAsync(string partnerId);

    /// <summary>
    /// The partner that owns the tenant now, or null. Grain-to-grain only: each grain holding tenant data asks it on
    /// every partner-facing call, so a tenant handed to another partner stops answering the previous one at once.
    /// </summary>
    [Alias("GetOwner"), ReadOnly, AlwaysInterleave]
    Task<string?> GetOwnerAsync();

    /// <summary>A pending or decided claim as the approval page shows it; null when there is no such claim.</summary>
    [Alias("GetApprovalRequest"), ReadOnly, AlwaysInterleave]
    Task<ApprovalRequest?> GetApprovalRequestAsync(string claimId);

    /// <summary>Records a sign-in started from the approval page of a pending claim; it lives ten minutes.</summary>
    [Alias("BeginApprovalSignIn")]
    Task BeginApprovalSignInAsync(ApprovalSignInStart start);

    /// <summary>Takes a started sign-in when its redirect comes back; a second take, another browser or a late one is refused.</summary>
    [Alias("TakeApprovalSignIn")]
    Task<ApprovalSignIn> TakeApprovalSignInAsync(string stateHash, string bindingHash);

    /// <summary>
    /// An administrator of this tenant, proven by a verified id token, approves or declines a pending claim. Approval
    /// hands the tenant to the claim's partner (from any previous owner) and starts its onboarding.
    /// </summary>
    [Alias("DecideClaim")]
    Task<ClaimDecided> DecideClaimAsync(string claimId, ApprovalDecision decision, TenantAdmin admin);

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
