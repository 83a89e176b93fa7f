using RAOrchestrator.Abstractions.Operations;

namespace RAOrchestrator.Grains.Tenants;

/// <summary>The steps of a tenant's workflows, in order.</summary>
public static class TenantWorkflows
{
    public const string AwaitApproval = "await-approval";
    public const string RegisterWithPartner = "register-with-partner";
    public const string VerifyConsent = "verify-consent";
    public const string ReadOrganization = "read-organization";
    public const string ReadLicences = "read-licences";
    public const string ProbeMeetingAccess = "probe-meeting-access";
    public const string ReadSignInPrerequisites = "read-sign-in-prerequisites";
    public const string PublishReadiness = "publish-readiness";
    public const string UnregisterFromPartner = "unregister-from-partner";
    public const string DeprovisionServiceAccounts = "deprovision-service-accounts";
    public const string ClearIndexes = "clear-indexes";
    public const string CancelSessions = "cancel-sessions";
    public const string RemoveBarriers = "remove-barriers";

    private static readonly (string Id, string Title)[] Checks =
    [
        (VerifyConsent, "Verify admin consent for the MSP app"),
        (ReadOrganization, "Read the organization and its verified domains"),
        (ReadLicences, "Read the licence inventory"),
        (ProbeMeetingAccess, "Check the application access policy for online meetings"),
        (ReadSignInPrerequisites, "Read the Temporary Access Pass policy and the app's permissions for vendors' sign-in"),
        (PublishReadiness, "Produce the readiness report"),
    ];

    public static readonly IReadOnlyList<(string Id, string Title)> Onboarding =
        [(AwaitApproval, "Wait for an administrator of the tenant to approve the partner"), (RegisterWithPartner, "Record the tenant in the partner's index"), .. Checks];

    public static readonly IReadOnlyList<(string Id, string Title)> Recheck = Checks;

    /// <summary>How long a run of onboarding or of the readiness checks goes before it writes its steps' results.</summary>
    public static readonly TimeSpan ChecksCheckpointInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a workflow of this kind may run steps before it writes their results: what a crash may repeat, and how
    /// far its operation's progress may lag behind the steps. Onboarding and the checks only read the directory (and
    /// record the tenant with its partner, which is idempotent), so quick steps share a write; offboarding removes
    /// things, and each of its steps is written before the next one starts.
    /// </summary>
    public static TimeSpan CheckpointInterval(OperationKind kind) => kind == OperationKind.OffboardTenant ? TimeSpan.Zero : ChecksCheckpointInterval;

    public static readonly IReadOnlyList<(string Id, string Title)> Offboarding =
    [
        (DeprovisionServiceAccounts, "Remove the licences this service assigned and disable the accounts it created"),
        (CancelSessions, "Cancel the tenant's sessions and delete their Teams meetings"),
        (RemoveBarriers, "Remove the barrier configuration and its published versions"),
        (ClearIndexes, "Forget the tenant's account and session indexes, seat holds and claimed user names"),
        (UnregisterFromPartner, "Remove the tenant from the partner's index"),
    ];
}
