using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Domain.Tenants;

/// <summary>
/// Turns what onboarding learned (<see cref="TenantFacts"/>) and what the partner declared (<see cref="TenantSettings"/>)
/// into a readiness report. Pure: the same inputs give the same report.
/// </summary>
public static class ReadinessRules
{
    public const string AdminConsent = "admin-consent";
    public const string Organization = "organization";
    public const string RemoteAssistLicences = "remote-assist-licences";
    public const string BarrierLicences = "barrier-licences";
    public const string AnonymousJoin = "anonymous-join";
    public const string OrganizerAnonymousJoin = "organizer-anonymous-join";
    public const string LobbyAdmission = "lobby-admission";
    public const string ApplicationAccessPolicy = "application-access-policy";

    private const string SeeRunbook = "Run the tenant runbook (GetTenantRunbook) as a Teams administrator, then confirm the setting on the tenant (UpdateTenant meeting_settings) and re-run the checks.";

    public static ReadinessReport Evaluate(TenantFacts facts, TenantSettings settings, string tenantId, string? clientId, DateTimeOffset now)
    {
        List<ReadinessCheck> checks =
        [
            Consent(facts, tenantId, clientId),
            OrganizationCheck(facts),
            RemoteAssist(facts, settings),
            Barriers(facts, settings),
            Switch(AnonymousJoin, "Teams allows anonymous users to join meetings (org-wide)", settings.Meetings.AnonymousJoin,
                "ANONYMOUS_JOIN_DISABLED", "The org-wide meeting configuration disables anonymous join, so out-of-tenant experts on Teams desktop cannot join."),
            Switch(OrganizerAnonymousJoin, "The organizers' meeting policy allows anonymous users", settings.Meetings.OrganizerAnonymousJoin,
                "ORGANIZER_POLICY_BLOCKS_ANONYMOUS", "The meeting policy of the organizers does not allow anonymous users to join their meetings."),
            Lobby(settings.Meetings.AutoAdmittedUsers),
            AccessPolicy(facts),
            .. SignInReadinessRules.Evaluate(facts, settings),
        ];
        return new ReadinessReport(checks, now);
    }

    private static ReadinessCheck Consent(TenantFacts facts, string tenantId, string? clientId) => facts switch
    {
        { ConsentVerified: true } => Passed(AdminConsent, "The MSP app has admin consent in the tenant", blocking: true),
        { ConsentFailure: { } failure } => new(AdminConsent, "The MSP app has admin consent in the tenant", CheckResult.Failed, failure.Reason, failure.Message,
            $"A Global Administrator of the tenant grants consent at https://login.microsoftonline.com/{tenantId}/adminconsent?client_id={clientId}.", true),
        _ => Unknown(AdminConsent, "The MSP app has admin consent in the tenant", "CONSENT_NOT_CHECKED", "Consent has not been checked yet.", "Re-run the checks.", true),
    };

    private static ReadinessCheck OrganizationCheck(TenantFacts facts) => facts.Organization is { } organization
        ? organization.Domains.Count > 0
            ? Passed(Organization, "The organization and its verified domains are known", blocking: true,
                message: $"{organization.DisplayName}: {string.Join(", ", organization.Domains.Select(d => d.Name))}")
            : new(Organization, "The organization and its verified domains are known", CheckResult.Failed, "NO_VERIFIED_DOMAIN",
                "The tenant has no verified domain for service accounts.", "Verify a domain in the Microsoft 365 admin center.", true)
        : Unknown(Organization, "The organization and its verified domains are known", "ORGANIZATION_NOT_READ", "The organization could not be read.", "Grant consent, then re-run the checks.", true);

    private static ReadinessCheck RemoteAssist(TenantFacts facts, TenantSettings settings)
    {
        const string title = "The tenant subscribes to Dynamics 365 Remote Assist";
        if (facts.Licences is not { } inventory)
        {
            return Unknown(RemoteAssistLicences, title, "LICENCES_NOT_READ", "The licence inventory could not be read.", "Grant consent, then re-run the checks.", true);
        }

        return LicenceCatalog.RemoteAssist(inventory, settings.Licences) is { } sku
            ? Passed(RemoteAssistLicences, title, blocking: true, message: $"{sku.PartNumber}: {sku.Enabled} enabled, {sku.Consumed} consumed, {sku.Free} free")
            : new(RemoteAssistLicences, title, CheckResult.Failed, settings.Licences.RemoteAssistSku is null ? "NO_REMOTE_ASSIST_SKU" : "SKU_NOT_FOUND",
                settings.Licences.RemoteAssistSku is { } chosen ? $"The licence plan names SKU {chosen}, which the tenant does not subscribe to." : "No Remote Assist SKU is in the tenant's licence inventory.",
                "Buy Dynamics 365 Remote Assist licences for the tenant, or set license_plan.remote_assist_sku_id to the SKU to use.", true);
    }

    private static ReadinessCheck Barriers(TenantFacts facts, TenantSettings settings)
    {
        const string title = "An information-barrier-capable suite is available (needed only where barriers apply)";
        if (facts.Licences is not { } inventory)
        {
            return Unknown(BarrierLicences, title, "LICENCES_NOT_READ", "The licence inventory could not be read.", "Grant consent, then re-run the checks.", false);
        }

        return LicenceCatalog.BarrierSuite(inventory, settings.Licences) is { } sku
            ? Passed(BarrierLicences, title, blocking: false, message: $"{sku.PartNumber}: {sku.Free} free")
            : new(BarrierLicences, title, CheckResult.Failed, "NO_BARRIER_SUITE_SKU",
                "No Microsoft 365 E5, Office 365 E5, Office 365 Advanced Compliance or Microsoft 365 E5 Information Protection and Compliance SKU is in the inventory.",
                "Buy one of those suites if vendor service accounts must be controlled by information barriers.", false);
    }

    private static ReadinessCheck Switch(string id, string title, Tenants.Switch value, string offReason, string offMessage) => value switch
    {
        Tenants.Switch.On => Passed(id, title, blocking: true, message: "Confirmed on by the tenant admin."),
        Tenants.Switch.Off => new(id, title, CheckResult.Failed, offReason, offMessage, SeeRunbook, true),
        _ => Unknown(id, title, id == AnonymousJoin ? "ANONYMOUS_JOIN_UNCONFIRMED" : "ORGANIZER_POLICY_UNCONFIRMED",
            "Graph cannot read this Teams setting; it is unknown until the tenant admin confirms it.", SeeRunbook, true),
    };

    private static ReadinessCheck Lobby(LobbyScope? autoAdmitted)
    {
        const string title = "Out-of-tenant guests wait in the lobby until this service admits them";
        return autoAdmitted switch
        {
            null => Unknown(LobbyAdmission, title, "LOBBY_POLICY_UNCONFIRMED",
                "The organizers' AutoAdmittedUsers is unknown; the meetings this service creates set their own lobby bypass.", SeeRunbook, false),
            LobbyScope.Everyone => new(LobbyAdmission, title, CheckResult.Failed, "LOBBY_BYPASSED_BY_EVERYONE",
                "AutoAdmittedUsers is Everyone: meetings scheduled outside this service let anonymous users skip the lobby.", SeeRunbook, false),
            _ => Passed(LobbyAdmission, title, blocking: false, message: $"AutoAdmittedUsers is {LobbyPolicy.AutoAdmittedUsersName(autoAdmitted.Value)}."),
        };
    }

    private static ReadinessCheck AccessPolicy(TenantFacts facts)
    {
        const string title = "Teams grants the MSP app an application access policy (app-only online meetings)";
        return facts.ApplicationAccessPolicy switch
        {
            true => Passed(ApplicationAccessPolicy, title, blocking: true),
            false => new(ApplicationAccessPolicy, title, CheckResult.Failed, "APP_ACCESS_POLICY_MISSING",
                "Graph refuses the app's online-meeting calls: no application access policy is granted.", "Run the runbook's application access policy section; it takes effect within 30 minutes.", true),
            null => Unknown(ApplicationAccessPolicy, title, facts.ApplicationAccessPolicyFailure?.Reason ?? "NOT_CHECKED",
                facts.ApplicationAccessPolicyFailure?.Message ?? "The policy has not been probed yet.", "Grant consent, then re-run the checks.", true),
        };
    }

    private static ReadinessCheck Passed(string id, string title, bool blocking, string message = "") => new(id, title, CheckResult.Passed, "PASSED", message, string.Empty, blocking);

    private static ReadinessCheck Unknown(string id, string title, string reason, string message, string remedy, bool blocking) =>
        new(id, title, CheckResult.Unknown, reason, message, remedy, blocking);
}
