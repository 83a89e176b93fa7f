using RAOrchestrator.Contracts.V1;
using AutoAdmitted = RAOrchestrator.Contracts.V1.MeetingSettings.Types.AutoAdmittedUsers;
using LobbyBypass = RAOrchestrator.Contracts.V1.MeetingSettings.Types.LobbyBypass;
using Switch = RAOrchestrator.Contracts.V1.MeetingSettings.Types.Switch;

namespace RAOrchestrator.Cli.Manifests;

/// <summary>
/// The fields of a manifest tenant, the same in CSV columns and YAML keys. Teams values are spelled as the tenant
/// admin sets them in PowerShell (AutoAdmittedUsers) and Graph (lobby bypass scope), case-insensitively.
/// </summary>
public static class ManifestFields
{
    public const string TenantId = "tenant_id";
    public const string DisplayName = "display_name";

    public static readonly IReadOnlyList<string> All =
    [
        TenantId, DisplayName, "anonymous_join", "organizer_anonymous_join", "auto_admitted_users", "lobby_bypass",
        "external_access_allowed_tenants", "remote_assist_sku_id", "barrier_suite_sku_id", "mail_sender",
    ];

    private static readonly Dictionary<string, AutoAdmitted> AutoAdmittedValues = new(StringComparer.OrdinalIgnoreCase)
    {
        ["EveryoneInCompany"] = AutoAdmitted.EveryoneInCompany,
        ["Everyone"] = AutoAdmitted.Everyone,
        ["EveryoneInSameAndFederatedCompany"] = AutoAdmitted.EveryoneInSameAndFederatedCompany,
        ["OrganizerOnly"] = AutoAdmitted.OrganizerOnly,
        ["InvitedUsers"] = AutoAdmitted.InvitedUsers,
        ["EveryoneInCompanyExcludingGuests"] = AutoAdmitted.EveryoneInCompanyExcludingGuests,
    };

    private static readonly Dictionary<string, LobbyBypass> LobbyBypassValues = new(StringComparer.OrdinalIgnoreCase)
    {
        ["organizer"] = LobbyBypass.Organizer,
        ["organization"] = LobbyBypass.Organization,
        ["organizationAndFederated"] = LobbyBypass.OrganizationAndFederated,
        ["everyone"] = LobbyBypass.Everyone,
        ["invited"] = LobbyBypass.Invited,
        ["organizationExcludingGuests"] = LobbyBypass.OrganizationExcludingGuests,
    };

    /// <summary>Sets one field; returns a problem for people, or null.</summary>
    public static string? Apply(BulkTenant item, string field, IReadOnlyList<string> values)
    {
        var value = string.Join(";", values).Trim();
        var tenant = item.Tenant ??= new Tenant();
        switch (field.Trim().ToLowerInvariant())
        {
            case TenantId:
                item.TenantId = value;
                return null;
            case DisplayName:
                // A name keeps the spaces its (quoted) field has; the other fields are words and ids.
                tenant.DisplayName = string.Join(";", values);
                return null;
            case "anonymous_join":
                return SetSwitch(value, s => Meetings(tenant).AnonymousJoin = s, field);
            case "organizer_anonymous_join":
                return SetSwitch(value, s => Meetings(tenant).OrganizerAnonymousJoin = s, field);
            case "auto_admitted_users":
                return SetChoice(value, AutoAdmittedValues, v => Meetings(tenant).AutoAdmittedUsers = v, field);
            case "lobby_bypass":
                return SetChoice(value, LobbyBypassValues, v => Meetings(tenant).LobbyBypass = v, field);
            case "external_access_allowed_tenants":
                tenant.ExternalAccessAllowedTenants.AddRange(values.SelectMany(v => v.Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
                return null;
            case "mail_sender":
                tenant.MailSender = value;
                return null;
            case "remote_assist_sku_id":
                (tenant.LicensePlan ??= new LicensePlan()).RemoteAssistSkuId = value;
                return null;
            case "barrier_suite_sku_id":
                (tenant.LicensePlan ??= new LicensePlan()).BarrierSuiteSkuId = value;
                return null;
            default:
                return $"unknown field '{field}'; the fields are {string.Join(", ", All)}";
        }
    }

    private static MeetingSettings Meetings(Tenant tenant) => tenant.MeetingSettings ??= new MeetingSettings();

    private static string? SetSwitch(string value, Action<Switch> set, string field)
    {
        switch (value.ToLowerInvariant())
        {
            case "":
                return null;
            case "on" or "true" or "yes":
                set(Switch.On);
                return null;
            case "off" or "false" or "no":
                set(Switch.Off);
                return null;
            default:
                return $"{field} is '{value}'; use on or off (empty: not confirmed yet)";
        }
    }

    private static string? SetChoice<T>(string value, Dictionary<string, T> choices, Action<T> set, string field)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (choices.TryGetValue(value, out var choice))
        {
            set(choice);
            return null;
        }

        return $"{field} is '{value}'; use one of {string.Join(", ", choices.Keys)}";
    }
}
