using RAOrchestrator.Domain.SignInPasses;

namespace RAOrchestrator.Abstractions.ServiceAccounts;

public enum ServiceAccountStatus
{
    Provisioning = 1,
    Active = 2,
    Failed = 3,
}

/// <summary>What to provision; SKUs already resolved from the tenant's licence plan and inventory.</summary>
[GenerateSerializer, Immutable, Alias("raorch.ServiceAccountSpec")]
public sealed record ServiceAccountSpec(
    [property: Id(0)] string DisplayName,
    [property: Id(1)] string UserPrincipalName,
    [property: Id(2)] string UsageLocation,
    [property: Id(3)] IReadOnlyDictionary<string, string> Attributes,
    [property: Id(4)] bool BarrierLicence,
    [property: Id(5)] IReadOnlyList<Guid> Skus,
    [property: Id(6)] VendorContact? VendorContact = null);

[GenerateSerializer, Immutable, Alias("raorch.ServiceAccountView")]
public sealed record ServiceAccountView(
    [property: Id(0)] string Name,
    [property: Id(1)] ServiceAccountSpec Spec,
    [property: Id(2)] ServiceAccountStatus Status,
    [property: Id(3)] string FailureReason,
    [property: Id(4)] string FailureMessage,
    [property: Id(5)] string UserId,
    [property: Id(6)] DateTimeOffset CreateTime,
    [property: Id(7)] DateTimeOffset UpdateTime,
    [property: Id(8)] long Version,
    [property: Id(9)] IReadOnlyList<IssuedPassRecord>? SignInPasses = null);

/// <summary>
/// One vendor service account, keyed <c>tenants/{tenant}/serviceAccounts/{id}</c>. Provisioning is a saga in its state:
/// reserve seats at the tenant's ledger, find or create the member user, assign licences, confirm. Each step is written
/// before the next starts and a reminder (or a caller that calls again) resumes it after a crash, so nothing happens
/// twice; a failure undoes what the earlier steps did. The caller (the gRPC service, a bulk onboarding) has checked the
/// partner manages the tenant.
/// </summary>
[Alias("raorch.IServiceAccountGrain")]
public interface IServiceAccountGrain : IGrainWithStringKey
{
    /// <summary>
    /// Provisions; returns when ACTIVE (or still PROVISIONING on a transient failure); throws the failure's reason.
    /// With <paramref name="callerResumes"/> the caller promises to call again with the same request id until it hears
    /// ACTIVE or FAILED, and to call <see cref="ResumeAsync"/> if it stops before that (its own reminder resumes it
    /// after a crash): the account then registers no reminder of its own, one storage write less on each side.
    /// </summary>
    [Alias("Create")]
    Task<ServiceAccountView> CreateAsync(string requestId, ServiceAccountSpec spec, bool callerResumes = false);

    /// <summary>Changes the directory user and the spec; ABORTED on a version mismatch; FAILED_PRECONDITION unless ACTIVE.</summary>
    [Alias("Update")]
    Task<ServiceAccountView> UpdateAsync(string requestId, long? expectedVersion, string? displayName, string? usageLocation, IReadOnlyDictionary<string, string>? attributes,
        VendorContactChange? vendorContact = null);

    /// <summary>
    /// Issues a Temporary Access Pass for the ACTIVE account's user under the tenant's policy (replacing any earlier
    /// pass) and records its metadata, never the pass. A repeat of <paramref name="requestKey"/>
    /// (<c>{partner}|{request id}</c>) answers the first call's metadata without the pass and issues none.
    /// </summary>
    [Alias("IssueSignInPass")]
    Task<SignInPassAnswer> IssueSignInPassAsync(string requestKey, SignInPassAsk ask);

    /// <summary>Records in the account's timeline that the expert saw the mailed pass of <paramref name="handoffId"/>; a repeat changes nothing.</summary>
    [Alias("RecordPassViewed")]
    Task RecordPassViewedAsync(string handoffId, DateTimeOffset viewedAt);

    [Alias("TryGet"), ReadOnly]
    Task<ServiceAccountView?> TryGetAsync();

    /// <summary>
    /// Removes the licences this service assigned (never one the user held before), disables the user only when this
    /// service created it, releases the seats and the UPN, forgets the account. An account still provisioning is
    /// finished (or undone) first: UNAVAILABLE / PROVISIONING_IN_PROGRESS while the directory does not answer. A FAILED
    /// account was undone already and is simply forgotten. What is already undone in the directory counts as done.
    /// A repeat with the same <paramref name="requestKey"/> (<c>{partner}|{request id}</c>; empty: none) after the
    /// account is gone answers as the first call did instead of NOT_FOUND.
    /// </summary>
    [Alias("Delete")]
    Task DeleteAsync(string requestKey = "");

    /// <summary>Runs the saga's pending steps, and from now on its own reminder resumes it after a crash (a caller that resumed it lets go).</summary>
    [Alias("Resume")]
    Task ResumeAsync();
}
