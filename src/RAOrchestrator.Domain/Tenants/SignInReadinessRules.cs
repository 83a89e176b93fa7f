using RAOrchestrator.Domain.SignInPasses;

namespace RAOrchestrator.Domain.Tenants;

/// <summary>
/// What the tenant must allow before vendors' experts can sign in to service accounts with a Temporary Access Pass:
/// the tenant's pass policy and the MSP app's permissions. None of these checks blocks the tenant (onboarding, accounts
/// and sessions work without them); they tell the partner why a pass cannot be issued or mailed yet, and the runbook's
/// section <see cref="PassRequestRules.RunbookSection"/> fixes them. Pure.
/// </summary>
public static class SignInReadinessRules
{
    public const string PassPolicy = "temporary-access-pass-policy";
    public const string PassPermission = "temporary-access-pass-permission";
    public const string MailPermission = "mail-send-permission";
    public const string MailSender = "mail-sender";

    /// <summary>Lets the app create and delete users' passes.</summary>
    public const string WritePassesPermission = "UserAuthMethod-TAP.ReadWrite.All";

    /// <summary>Lets the app read the pass policy (GRAPH_PERMISSION_DENIED on the policy check without it).</summary>
    public const string ReadPolicyPermission = "Policy.Read.All";

    /// <summary>The directory's reason when Graph refuses the app for lack of a permission (the policy check's, without <see cref="ReadPolicyPermission"/>).</summary>
    public const string PermissionDenied = "GRAPH_PERMISSION_DENIED";

    /// <summary>Lets the app send the pass's mails from the tenant's sender mailbox.</summary>
    public const string SendMailPermission = "Mail.Send";

    /// <summary>The permissions the pass flow needs, each with those Graph also accepts in its place.</summary>
    private static readonly Dictionary<string, string[]> Broader = new(StringComparer.Ordinal)
    {
        [WritePassesPermission] = ["UserAuthenticationMethod.ReadWrite.All"],
        [SendMailPermission] = [],
    };

    private static readonly string RunSection = $"Run the tenant runbook's section \"{PassRequestRules.RunbookSection}\" (GetTenantRunbook) as a Global Administrator, then re-run the checks.";

    public static IEnumerable<ReadinessCheck> Evaluate(TenantFacts facts, TenantSettings settings)
    {
        yield return Policy(facts);
        yield return Permission(facts, PassPermission, "The MSP app may issue Temporary Access Passes (" + WritePassesPermission + ")", WritePassesPermission,
            "TAP_PERMISSION_MISSING", "Without it no pass can be issued to a service account, and deleting an account cannot delete its pass.");
        yield return Permission(facts, MailPermission, "The MSP app may mail a pass to the vendor's expert (" + SendMailPermission + ")", SendMailPermission,
            "MAIL_PERMISSION_MISSING", "Without it a pass can only be returned to the partner, not mailed to the vendor contact.");
        yield return Sender(facts, settings.MailSender);
    }

    /// <summary>The mailbox pass mails are sent from: set, and in one of the tenant's verified domains.</summary>
    private static ReadinessCheck Sender(TenantFacts facts, string? sender)
    {
        const string title = "Sign-in pass mails have a sender mailbox in the tenant";
        const string set = "Set the tenant's mail_sender (UpdateTenant) to a mailbox of the tenant, such as a shared mailbox remote-assist@<your domain>.";
        var domains = facts.Organization?.Domains.Select(d => d.Name).ToArray() ?? [];
        return sender switch
        {
            null => Failed(MailSender, title, "MAIL_SENDER_NOT_SET", "No sender mailbox is set, so a pass can only be returned to the partner, not mailed to the vendor contact.", set),
            _ when domains.Length > 0 && !domains.Any(d => sender.EndsWith("@" + d, StringComparison.OrdinalIgnoreCase)) => Failed(MailSender, title, "MAIL_SENDER_OUTSIDE_TENANT",
                $"{sender} is not in the tenant's verified domains ({string.Join(", ", domains)}), so Graph cannot send from it.", set),
            _ => new(MailSender, title, CheckResult.Passed, "PASSED", $"Pass mails are sent from {sender}.", string.Empty, false),
        };
    }

    private static bool Has(IReadOnlyList<string> granted, string permission) =>
        granted.Contains(permission, StringComparer.OrdinalIgnoreCase) || Broader[permission].Any(b => granted.Contains(b, StringComparer.OrdinalIgnoreCase));

    private static ReadinessCheck Policy(TenantFacts facts)
    {
        const string title = "The tenant's Temporary Access Pass policy lets this service give service accounts a pass";
        return facts switch
        {
            { PassPolicy: { Enabled: false } } => Failed(PassPolicy, title, PassRequestRules.TapPolicyDisabled,
                "The Temporary Access Pass authentication method is disabled in the tenant, so no vendor's expert can be given a pass.", RunSection),
            { PassPolicy: { TargetsAllUsers: false } policy } => Failed(PassPolicy, title, "TAP_POLICY_TARGETS_GROUPS",
                $"Only members of the groups {string.Join(", ", policy.IncludeTargetIds)} may get a pass; this service does not add service accounts to them.",
                $"Add the service accounts to one of those groups, or include all users: {RunSection}"),
            { PassPolicy: { } policy } => new(PassPolicy, title, CheckResult.Passed, "PASSED",
                $"Enabled for all users; lifetime {policy.MinimumLifetimeMinutes}–{policy.MaximumLifetimeMinutes} minutes (default {policy.DefaultLifetimeMinutes}){(policy.IsUsableOnce ? ", one-time passes only" : string.Empty)}.",
                string.Empty, false),
            { PassPolicyFailure: { } failure } => new(PassPolicy, title, CheckResult.Unknown, failure.Reason, failure.Message, RunSection, false),
            _ => new(PassPolicy, title, CheckResult.Unknown, "TAP_POLICY_NOT_READ", "The policy has not been read.", "Grant consent, then re-run the checks.", false),
        };
    }

    private static ReadinessCheck Permission(TenantFacts facts, string id, string title, string permission, string missingReason, string consequence) =>
        facts.AppPermissions switch
        {
            null => new(id, title, CheckResult.Unknown, "PERMISSIONS_NOT_READ", "The app's permissions have not been read.", "Grant consent, then re-run the checks.", false),
            { } granted when Has(granted, permission) => new(id, title, CheckResult.Passed, "PASSED", string.Empty, string.Empty, false),
            _ => Failed(id, title, missingReason, $"The MSP app lacks the application permission {permission} in the tenant. {consequence}", RunSection),
        };

    private static ReadinessCheck Failed(string id, string title, string reason, string message, string remedy) =>
        new(id, title, CheckResult.Failed, reason, message, remedy, false);
}
