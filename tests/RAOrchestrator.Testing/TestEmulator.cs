using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.GraphEmulator.SignIn;
using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.Testing;

/// <summary>
/// The Graph emulator for end-to-end tests: one MSP app, and customer tenants added per test with the
/// prerequisites it wants (consent, Teams settings, application access policy, licence seats).
/// </summary>
public static class TestEmulator
{
    public const string AppId = "6c1f3e2a-8d4b-4f0e-9a7c-2b5d8e1f4a90";
    public const string AppSecret = "test-msp-app-secret";
    public static readonly Guid RemoteAssistSku = Guid.Parse("7a551360-26c4-4f61-84e6-ef715673e083");
    public static readonly Guid E5Sku = Guid.Parse("06ebc4ee-1bb5-47dd-8120-11324bc54e06");

    /// <summary>The MSP app's sign-in redirect URI; on loopback http Entra (and the emulator) ignore the port.</summary>
    public const string TenantApprovalRedirectUri = "http://127.0.0.1/tenant-approval/callback";

    /// <summary>The lobby console's sign-in redirect URI, registered on the MSP app beside the approval page's.</summary>
    public const string LobbyConsoleRedirectUri = "http://127.0.0.1/console/callback";

    /// <summary>The lobby console's client at the partner issuer, where partners' staff sign in (emulator-only values).</summary>
    public const string StaffAppId = "9d2f6a41-7c3e-4b58-a1d0-5e8f2b7c3a10";
    public const string StaffAppSecret = "test-console-staff-secret";

    /// <summary>The staff console's sign-in redirect URI, registered on the staff app (the port is ignored on loopback).</summary>
    public const string StaffConsoleRedirectUri = "http://127.0.0.1/console/staff/callback";

    /// <summary>The password every emulator user signs in with (emulator-only).</summary>
    public const string SignInPassword = GraphEmulatorOptions.DefaultSignInPassword;

    /// <summary>Global Administrator's role template id.</summary>
    public static readonly Guid GlobalAdministratorRole = DirectoryRoleIds.GlobalAdministrator;

    public const string AdminDisplayName = "Alex Admin";

    /// <summary>The Global Administrator <see cref="AddTenantAsync"/> creates in a tenant whose default domain is <paramref name="domain"/>.</summary>
    public static string AdminUpn(string domain) => $"admin@{domain}";

    /// <summary>The default domain <see cref="AddTenantAsync"/> gives a tenant when none is passed.</summary>
    public static string DefaultDomain(string tenantId) => $"t{tenantId[..8]}.example";

    public static Task<GraphEmulatorServer> StartAsync(ThrottlingSettings? throttling = null, FaultSettings? faults = null) =>
        GraphEmulatorServer.StartAsync(new GraphEmulatorOptions
        {
            Data = new EmulatorData
            {
                Apps =
                [
                    new AppRegistrationData
                    {
                        ClientId = AppId, ClientSecret = AppSecret, DisplayName = "MSP app (tests)", RedirectUris = [TenantApprovalRedirectUri, LobbyConsoleRedirectUri],
                    },
                ],
                PartnerApps =
                [
                    new AppRegistrationData
                    {
                        ClientId = StaffAppId, ClientSecret = StaffAppSecret, DisplayName = "Lobby console, partner staff (tests)", RedirectUris = [StaffConsoleRedirectUri],
                    },
                ],
            },
            Throttling = throttling ?? new ThrottlingSettings(),
            Faults = faults ?? new FaultSettings(),
        });

    /// <summary>
    /// Settings that make the emulator's partner issuer the host's partner authority (Auth:Authority, instead of a
    /// development key), where partners' staff sign in to the lobby console as its staff app.
    /// </summary>
    public static IDictionary<string, string?> PartnerIssuerSettings(GraphEmulatorServer emulator) => new Dictionary<string, string?>
    {
        ["Auth:SigningKey"] = null,
        ["Auth:Issuer"] = null,
        ["Auth:Authority"] = emulator.PartnerIssuerUri,
        ["Auth:AuthorityCertificateThumbprint"] = emulator.CertificateSha256Thumbprint,
        ["Web:StaffClientId"] = StaffAppId,
        ["Web:StaffClientSecret"] = StaffAppSecret,
    };

    /// <summary>
    /// A staff member of <paramref name="partnerId"/> (none: a user of the issuer who is nobody's staff) at the partner
    /// issuer, with <paramref name="roles"/> on the staff app; returns the name it signs in with.
    /// </summary>
    public static string AddPartnerStaff(GraphEmulatorServer emulator, string? partnerId, string displayName, params string[] roles)
    {
        var upn = $"{displayName.Split(' ')[0].ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..8]}@{partnerId ?? "nobody"}.example";
        emulator.State.AddPartnerStaff(new PartnerStaffData
        {
            UserPrincipalName = upn,
            DisplayName = displayName,
            PartnerId = partnerId,
            AppRoles = new() { [StaffAppId] = [.. roles] },
        });
        return upn;
    }

    /// <summary>Settings that point the server's Graph gateway at this emulator.</summary>
    public static IDictionary<string, string?> GraphSettings(GraphEmulatorServer emulator) => new Dictionary<string, string?>
    {
        ["Graph:AuthorityHost"] = emulator.BaseAddress.ToString(),
        ["Graph:BaseUrl"] = emulator.GraphBaseUrl,
        ["Graph:ClientId"] = AppId,
        ["Graph:ClientSecret"] = AppSecret,
        ["Graph:PinnedCertificateSha256"] = emulator.CertificateSha256Thumbprint,
    };

    /// <summary>
    /// Adds a customer tenant through the admin endpoint, as a test wants it, with the member <c>hanna@{domain}</c> and
    /// the Global Administrator <see cref="AdminUpn"/> ("Alex Admin"); a Temporary Access Pass policy (the emulator data file's shape) and
    /// the MSP app's granted permissions when given, else the emulator's defaults.
    /// </summary>
    public static async Task AddTenantAsync(
        GraphEmulatorServer emulator,
        string tenantId,
        bool consent = true,
        bool anonymousJoin = true,
        bool appAccessPolicy = true,
        int remoteAssistSeats = 50,
        int e5Seats = 50,
        string? domain = null,
        JsonObject? passPolicy = null,
        IReadOnlyList<string>? appPermissions = null)
    {
        domain ??= DefaultDomain(tenantId);
        var tenant = new JsonObject
        {
            ["id"] = tenantId,
            ["displayName"] = $"Customer {tenantId[..8]}",
            ["domains"] = new JsonArray(new JsonObject { ["name"] = domain, ["isDefault"] = true, ["isInitial"] = true }),
            ["consentedApps"] = consent ? new JsonArray(AppId) : new JsonArray(),
            ["applicationAccessPolicyApps"] = appAccessPolicy ? new JsonArray(AppId) : new JsonArray(),
            ["teamsSettings"] = new JsonObject
            {
                ["disableAnonymousJoin"] = !anonymousJoin,
                ["allowAnonymousUsersToJoinMeeting"] = anonymousJoin,
                ["autoAdmittedUsers"] = "EveryoneInCompany",
            },
            ["skus"] = new JsonArray(
                new JsonObject { ["skuId"] = RemoteAssistSku.ToString(), ["skuPartNumber"] = "DYN365_REMOTE_ASSIST", ["enabled"] = remoteAssistSeats },
                new JsonObject { ["skuId"] = E5Sku.ToString(), ["skuPartNumber"] = "SPE_E5", ["enabled"] = e5Seats }),
            ["users"] = new JsonArray(
                new JsonObject
                {
                    ["displayName"] = "Hanna HoloLens",
                    ["userPrincipalName"] = $"hanna@{domain}",
                    ["mailNickname"] = "hanna",
                    ["mail"] = $"hanna@{domain}",
                    ["usageLocation"] = "US",
                    ["accountEnabled"] = true,
                },
                new JsonObject
                {
                    ["displayName"] = AdminDisplayName,
                    ["userPrincipalName"] = AdminUpn(domain),
                    ["mailNickname"] = "admin",
                    ["mail"] = AdminUpn(domain),
                    ["usageLocation"] = "US",
                    ["accountEnabled"] = true,
                }),
            ["directoryRoles"] = new JsonArray(new JsonObject
            {
                ["roleTemplateId"] = GlobalAdministratorRole.ToString(),
                ["members"] = new JsonArray(AdminUpn(domain)),
            }),
        };
        if (passPolicy is not null)
        {
            tenant["temporaryAccessPassPolicy"] = passPolicy; // the emulator's data shape; Entra's default (disabled) when absent
        }

        if (appPermissions is not null)
        {
            tenant["appPermissions"] = new JsonObject { [AppId] = new JsonArray([.. appPermissions.Select(p => (JsonNode)p)]) };
        }

        using var admin = emulator.CreateHttpClient();
        var response = await admin.PostAsJsonAsync("_emulator/tenants", tenant);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A member with a Dynamics 365 Remote Assist licence, added to the tenant's directory (a session organizer); returns its id.</summary>
    public static Task<string> AddLicensedMemberAsync(GraphEmulatorServer emulator, string tenantId, string alias = "hololens-tech", string displayName = "Hanna Technician") =>
        AddUserAsync(emulator, tenantId, alias, displayName, licensed: true);

    /// <summary>A user added straight to the tenant's directory (domain t{tenant[..8]}.example), with a Remote Assist licence when asked; returns its id.</summary>
    public static async Task<string> AddUserAsync(GraphEmulatorServer emulator, string tenantId, string alias, string displayName, bool licensed, string? department = null, string userType = "Member", string? company = null)
    {
        var id = Guid.NewGuid().ToString();
        var domain = DefaultDomain(tenantId);
        var user = new JsonObject
        {
            ["id"] = id,
            ["displayName"] = displayName,
            ["userPrincipalName"] = $"{alias}@{domain}",
            ["mailNickname"] = alias,
            ["mail"] = $"{alias}@{domain}",
            ["usageLocation"] = "US",
            ["accountEnabled"] = true,
            ["userType"] = userType,
            ["department"] = department,
            ["companyName"] = company,
            ["assignedLicenses"] = licensed ? new JsonArray(new JsonObject { ["skuId"] = RemoteAssistSku.ToString(), ["disabledPlans"] = new JsonArray() }) : new JsonArray(),
        };
        using var admin = emulator.CreateHttpClient();
        (await admin.PostAsJsonAsync($"_emulator/tenants/{tenantId}/users", user)).EnsureSuccessStatusCode();
        return id;
    }
}
