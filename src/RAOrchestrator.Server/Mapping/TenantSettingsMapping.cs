using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Sessions;
using RAOrchestrator.Domain.Tenants;
using RAOrchestrator.Domain.Validation;
using Proto = RAOrchestrator.Contracts.V1;
using Scope = RAOrchestrator.Domain.Sessions.LobbyScope;

namespace RAOrchestrator.Server.Mapping;

/// <summary>Tenant settings between the contract and the domain, validating what comes in.</summary>
public static class TenantSettingsMapping
{
    public const int MaxExternalAccessTenants = 1000;

    /// <summary>Everything a partner sets on a new tenant (<paramref name="field"/> is the tenant's field, such as <c>tenant</c>).</summary>
    public static TenantSettings FromProto(Proto.Tenant? tenant, Violations violations, string field) =>
        new(FromProto(tenant?.MeetingSettings, violations, $"{field}.meeting_settings"),
            FromProto(tenant?.LicensePlan, violations, $"{field}.license_plan"),
            ExternalAccess(tenant?.ExternalAccessAllowedTenants ?? [], violations, $"{field}.external_access_allowed_tenants"))
        {
            MailSender = MailSender(tenant?.MailSender, [], violations, $"{field}.mail_sender") is { Length: > 0 } sender ? sender : null,
        };

    /// <summary>
    /// The tenant's sender mailbox as given: empty (none, or cleared) or an address, lower-cased, in one of
    /// <paramref name="verifiedDomains"/> when they are known.
    /// </summary>
    public static string MailSender(string? given, IReadOnlyList<string> verifiedDomains, Violations violations, string field)
    {
        if (string.IsNullOrWhiteSpace(given))
        {
            return string.Empty;
        }

        var address = EmailAddress.Normalize(given)!;
        if (!EmailAddress.IsValid(address))
        {
            violations.Add(field, "must be the address of a mailbox of the tenant, such as remote-assist@contoso.com");
        }
        else if (verifiedDomains.Count > 0 && !verifiedDomains.Any(d => address.EndsWith("@" + d, StringComparison.OrdinalIgnoreCase)))
        {
            violations.Add(field, $"must be in one of the tenant's verified domains ({string.Join(", ", verifiedDomains)})");
        }

        return address;
    }

    public static MeetingSettings FromProto(Proto.MeetingSettings? proto, Violations violations, string field)
    {
        if (proto is null)
        {
            return MeetingSettings.Unconfirmed;
        }

        return new MeetingSettings(
            Switch(proto.AnonymousJoin, violations, $"{field}.anonymous_join"),
            Switch(proto.OrganizerAnonymousJoin, violations, $"{field}.organizer_anonymous_join"),
            proto.AutoAdmittedUsers switch
            {
                Proto.MeetingSettings.Types.AutoAdmittedUsers.Unspecified => null,
                Proto.MeetingSettings.Types.AutoAdmittedUsers.EveryoneInCompany => Scope.Organization,
                Proto.MeetingSettings.Types.AutoAdmittedUsers.Everyone => Scope.Everyone,
                Proto.MeetingSettings.Types.AutoAdmittedUsers.EveryoneInSameAndFederatedCompany => Scope.OrganizationAndFederated,
                Proto.MeetingSettings.Types.AutoAdmittedUsers.OrganizerOnly => Scope.Organizer,
                Proto.MeetingSettings.Types.AutoAdmittedUsers.InvitedUsers => Scope.Invited,
                Proto.MeetingSettings.Types.AutoAdmittedUsers.EveryoneInCompanyExcludingGuests => Scope.OrganizationExcludingGuests,
                _ => Invalid<Scope?>(violations, $"{field}.auto_admitted_users", null),
            },
            proto.LobbyBypass switch
            {
                Proto.MeetingSettings.Types.LobbyBypass.Unspecified or Proto.MeetingSettings.Types.LobbyBypass.Organizer => Scope.Organizer,
                Proto.MeetingSettings.Types.LobbyBypass.Organization => Scope.Organization,
                Proto.MeetingSettings.Types.LobbyBypass.OrganizationAndFederated => Scope.OrganizationAndFederated,
                Proto.MeetingSettings.Types.LobbyBypass.Everyone => Scope.Everyone,
                Proto.MeetingSettings.Types.LobbyBypass.Invited => Scope.Invited,
                Proto.MeetingSettings.Types.LobbyBypass.OrganizationExcludingGuests => Scope.OrganizationExcludingGuests,
                _ => Invalid(violations, $"{field}.lobby_bypass", Scope.Organizer),
            });
    }

    public static LicencePlan FromProto(Proto.LicensePlan? proto, Violations violations, string field) =>
        proto is null ? LicencePlan.Automatic : new LicencePlan(
            Sku(proto.RemoteAssistSkuId, violations, $"{field}.remote_assist_sku_id"),
            Sku(proto.BarrierSuiteSkuId, violations, $"{field}.barrier_suite_sku_id"));

    public static IReadOnlyList<string> ExternalAccess(IReadOnlyList<string> tenantIds, Violations violations, string field)
    {
        if (tenantIds.Count > MaxExternalAccessTenants)
        {
            violations.Add(field, $"may list at most {MaxExternalAccessTenants} tenants");
            return [];
        }

        var normalized = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tenantIds.Count; i++)
        {
            if (TenantId.TryNormalize(tenantIds[i], out var id))
            {
                normalized.Add(id);
            }
            else
            {
                violations.Add($"{field}[{i}]", "must be an Entra tenant id (a GUID)");
            }
        }

        return normalized.ToArray();
    }

    public static Proto.MeetingSettings ToProto(this MeetingSettings settings) => new()
    {
        AnonymousJoin = ToProto(settings.AnonymousJoin),
        OrganizerAnonymousJoin = ToProto(settings.OrganizerAnonymousJoin),
        AutoAdmittedUsers = settings.AutoAdmittedUsers switch
        {
            Scope.Organization => Proto.MeetingSettings.Types.AutoAdmittedUsers.EveryoneInCompany,
            Scope.Everyone => Proto.MeetingSettings.Types.AutoAdmittedUsers.Everyone,
            Scope.OrganizationAndFederated => Proto.MeetingSettings.Types.AutoAdmittedUsers.EveryoneInSameAndFederatedCompany,
            Scope.Organizer => Proto.MeetingSettings.Types.AutoAdmittedUsers.OrganizerOnly,
            Scope.Invited => Proto.MeetingSettings.Types.AutoAdmittedUsers.InvitedUsers,
            Scope.OrganizationExcludingGuests => Proto.MeetingSettings.Types.AutoAdmittedUsers.EveryoneInCompanyExcludingGuests,
            _ => Proto.MeetingSettings.Types.AutoAdmittedUsers.Unspecified,
        },
        LobbyBypass = settings.LobbyBypass switch
        {
            Scope.Organization => Proto.MeetingSettings.Types.LobbyBypass.Organization,
            Scope.OrganizationAndFederated => Proto.MeetingSettings.Types.LobbyBypass.OrganizationAndFederated,
            Scope.Everyone => Proto.MeetingSettings.Types.LobbyBypass.Everyone,
            Scope.Invited => Proto.MeetingSettings.Types.LobbyBypass.Invited,
            Scope.OrganizationExcludingGuests => Proto.MeetingSettings.Types.LobbyBypass.OrganizationExcludingGuests,
            _ => Proto.MeetingSettings.Types.LobbyBypass.Organizer,
        },
    };

    public static Proto.LicensePlan ToProto(this LicencePlan plan) => new()
    {
        RemoteAssistSkuId = plan.RemoteAssistSku?.ToString("D") ?? string.Empty,
        BarrierSuiteSkuId = plan.BarrierSuiteSku?.ToString("D") ?? string.Empty,
    };

    private static Proto.MeetingSettings.Types.Switch ToProto(Domain.Tenants.Switch value) => value switch
    {
        Domain.Tenants.Switch.On => Proto.MeetingSettings.Types.Switch.On,
        Domain.Tenants.Switch.Off => Proto.MeetingSettings.Types.Switch.Off,
        _ => Proto.MeetingSettings.Types.Switch.Unspecified,
    };

    private static Domain.Tenants.Switch Switch(Proto.MeetingSettings.Types.Switch value, Violations violations, string field) => value switch
    {
        Proto.MeetingSettings.Types.Switch.Unspecified => Domain.Tenants.Switch.Unknown,
        Proto.MeetingSettings.Types.Switch.On => Domain.Tenants.Switch.On,
        Proto.MeetingSettings.Types.Switch.Off => Domain.Tenants.Switch.Off,
        _ => Invalid(violations, field, Domain.Tenants.Switch.Unknown),
    };

    private static Guid? Sku(string value, Violations violations, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length == 36 && Guid.TryParseExact(value, "D", out var sku))
        {
            return sku;
        }

        violations.Add(field, "must be a licence SKU id (a GUID), as in the tenant's licence summary");
        return null;
    }

    private static T Invalid<T>(Violations violations, string field, T fallback)
    {
        violations.Add(field, "is not a known value");
        return fallback;
    }
}
