using System.Text.Json;
using System.Text.Json.Nodes;

namespace RAOrchestrator.GraphEmulator.State;

/// <summary>The data file: apps, partner clients and tenants. Also constructible in code.</summary>
public sealed class EmulatorData
{
    public string? PartnerIssuer { get; set; }
    public List<AppRegistrationData> Apps { get; set; } = [];
    public List<PartnerClientData> PartnerClients { get; set; } = [];

    /// <summary>Apps registered at the partner issuer for interactive sign-in (the lobby console's partner-staff sign-in).</summary>
    public List<AppRegistrationData> PartnerApps { get; set; } = [];

    /// <summary>The partner issuer's users: partners' staff, who sign in to the partner apps.</summary>
    public List<PartnerStaffData> PartnerStaff { get; set; } = [];

    public List<TenantData> Tenants { get; set; } = [];

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static EmulatorData Parse(string json) =>
        JsonSerializer.Deserialize<EmulatorData>(json, JsonOptions) ?? new EmulatorData();

    public static EmulatorData Load(string path) => Parse(File.ReadAllText(path));
}

/// <summary>A (multi-tenant) app registration that asks for Graph tokens, e.g. the MSP's app.</summary>
public sealed class AppRegistrationData
{
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    public string DisplayName { get; set; } = "";
    /// <summary>Where sign-in sends authorization codes (see <see cref="SignIn.RedirectUris"/> for how one matches).</summary>
    public List<string> RedirectUris { get; set; } = [];

    /// <summary>Entra's "Allow public client flows": the device code flow and its refresh tokens work without the secret.</summary>
    public bool AllowPublicClientFlows { get; set; }
}

/// <summary>A partner's client app, issued tokens for the RAOrchestrator API by the partner issuer.</summary>
public sealed class PartnerClientData
{
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    public string PartnerId { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public List<string> Roles { get; set; } = [];
}

/// <summary>
/// A user of the partner issuer's directory: one partner's staff member. As in Entra, <see cref="PartnerId"/> is a directory
/// extension the issuer emits as the optional claim <c>partner_id</c>, and <see cref="AppRoles"/> are app role assignments,
/// emitted as <c>roles</c> in the tokens of the app they are assigned on.
/// </summary>
public sealed class PartnerStaffData
{
    /// <summary>The user's object id (<c>oid</c>); generated when empty.</summary>
    public string? Id { get; set; }
    public string UserPrincipalName { get; set; } = "";
    public string DisplayName { get; set; } = "";
    /// <summary>The partner the user works for; null: no <c>partner_id</c> claim (a user who is nobody's staff).</summary>
    public string? PartnerId { get; set; }
    /// <summary>App role values (e.g. RAOrchestrator.Write) by the client id of the partner app they are assigned on.</summary>
    public Dictionary<string, List<string>> AppRoles { get; set; } = [];
    public bool AccountEnabled { get; set; } = true;

    /// <summary>The app role values assigned to the user on the app <paramref name="clientId"/>.</summary>
    public List<string> RolesOn(string clientId) =>
        [.. AppRoles.Where(a => string.Equals(a.Key, clientId, StringComparison.OrdinalIgnoreCase)).SelectMany(a => a.Value)];
}

public sealed class TenantData
{
    public string Id { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public List<DomainData> Domains { get; set; } = [];
    /// <summary>Client ids of apps an administrator has consented to in this tenant.</summary>
    public List<string> ConsentedApps { get; set; } = [];
    /// <summary>Client ids granted a Teams application access policy (needed for app-only onlineMeetings).</summary>
    public List<string> ApplicationAccessPolicyApps { get; set; } = [];
    public TeamsSettings TeamsSettings { get; set; } = new();
    public List<SkuData> Skus { get; set; } = [];
    /// <summary>Pairs of SKUs (skuId or skuPartNumber) that cannot be assigned to the same user.</summary>
    public List<List<string>> MutuallyExclusiveSkus { get; set; } = [];
    /// <summary>Users as Graph user JSON objects; <c>id</c> is generated when absent.</summary>
    public List<JsonObject> Users { get; set; } = [];
    public List<GroupData> Groups { get; set; } = [];
    /// <summary>Directory role assignments (kept apart from the user JSON that Graph returns).</summary>
    public List<DirectoryRoleData> DirectoryRoles { get; set; } = [];
    /// <summary>The Temporary Access Pass policy; Entra's defaults (disabled) when absent.</summary>
    public TemporaryAccessPassPolicyData? TemporaryAccessPassPolicy { get; set; }
    /// <summary>Application permissions an administrator granted, by client id; an app not listed has the emulator's default set.</summary>
    public Dictionary<string, List<string>> AppPermissions { get; set; } = [];
}

/// <summary>A directory role (by its role template id, e.g. Global Administrator) and the users holding it.</summary>
public sealed class DirectoryRoleData
{
    public Guid RoleTemplateId { get; set; }
    /// <summary>Member user ids or user principal names.</summary>
    public List<string> Members { get; set; } = [];
}

public sealed class DomainData
{
    public string Name { get; set; } = "";
    public bool IsDefault { get; set; }
    public bool IsInitial { get; set; }
}

/// <summary>Teams settings Graph cannot change (Teams PowerShell only).</summary>
public sealed class TeamsSettings
{
    /// <summary>Org-wide <c>Set-CsTeamsMeetingConfiguration -DisableAnonymousJoin</c>.</summary>
    public bool DisableAnonymousJoin { get; set; }
    /// <summary>Organizer meeting policy <c>AllowAnonymousUsersToJoinMeeting</c>.</summary>
    public bool AllowAnonymousUsersToJoinMeeting { get; set; } = true;
    public bool AllowAnonymousUsersToStartMeeting { get; set; }
    public bool AllowPSTNUsersToBypassLobby { get; set; }
    public bool AllowMeetNow { get; set; } = true;
    /// <summary>EveryoneInCompany, Everyone, EveryoneInSameAndFederatedCompany, OrganizerOnly, InvitedUsers, EveryoneInCompanyExcludingGuests.</summary>
    public string AutoAdmittedUsers { get; set; } = "EveryoneInCompany";

    public TeamsSettings Clone() => (TeamsSettings)MemberwiseClone();
}

public sealed class SkuData
{
    public Guid SkuId { get; set; }
    public string SkuPartNumber { get; set; } = "";
    public int Enabled { get; set; }
    public int Suspended { get; set; }
    public int Warning { get; set; }
    public int LockedOut { get; set; }
    public List<ServicePlanData> ServicePlans { get; set; } = [];
}

public sealed class ServicePlanData
{
    public Guid ServicePlanId { get; set; }
    public string ServicePlanName { get; set; } = "";
}

public sealed class GroupData
{
    public string? Id { get; set; }
    public string DisplayName { get; set; } = "";
    public string? MailNickname { get; set; }
    public string? Description { get; set; }
    public bool SecurityEnabled { get; set; } = true;
    public bool MailEnabled { get; set; }
    /// <summary>Member user ids or user principal names.</summary>
    public List<string> Members { get; set; } = [];
}
