using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Cli.Tests.Infrastructure;

/// <summary>Customer tenants in the emulator, and people in their directories.</summary>
public static class Tenants
{
    public static string NewPartner() => "partner-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A tenant the emulator knows, with admin consent for the MSP app (or without), licences and an access policy.</summary>
    public static async Task<string> AddAsync(GraphEmulatorServer emulator, bool consent = true)
    {
        var id = Guid.NewGuid().ToString("D");
        await TestEmulator.AddTenantAsync(emulator, id, consent: consent);
        return id;
    }

    public static string Domain(string tenantId) => $"t{tenantId[..8]}.example";

    /// <summary>Onboards a tenant through the API with its Teams settings confirmed, and waits until it is ACTIVE.</summary>
    public static async Task<string> OnboardAsync(CliFixture fixture, string partner)
    {
        var id = await AddAsync(fixture.Emulator);
        using var api = fixture.Api(partner);
        var created = await api.Tenants.CreateTenantAsync(new CreateTenantRequest
        {
            TenantId = id,
            Tenant = new Tenant { DisplayName = "Company " + id[..8], MeetingSettings = Confirmed },
        });
        var done = await Client.OperationWatching.WatchUntilDoneAsync(api.Operations, created.Operation.Name);
        Assert.Equal(Operation.Types.State.Succeeded, done.State);
        return created.Tenant.Name;
    }

    public static MeetingSettings Confirmed => new()
    {
        AnonymousJoin = MeetingSettings.Types.Switch.On,
        OrganizerAnonymousJoin = MeetingSettings.Types.Switch.On,
        AutoAdmittedUsers = MeetingSettings.Types.AutoAdmittedUsers.EveryoneInCompany,
        LobbyBypass = MeetingSettings.Types.LobbyBypass.Organizer,
    };

    /// <summary>A member user with a Remote Assist licence (a HoloLens technician), straight into the emulator's directory.</summary>
    public static async Task<string> AddTechnicianAsync(GraphEmulatorServer emulator, string tenantId, string department = "Field-Technicians")
    {
        var id = Guid.NewGuid().ToString();
        var alias = "tech-" + id[..6];
        var user = new JsonObject
        {
            ["id"] = id,
            ["displayName"] = "Hanna Technician",
            ["userPrincipalName"] = $"{alias}@{Domain(tenantId)}",
            ["mailNickname"] = alias,
            ["mail"] = $"{alias}@{Domain(tenantId)}",
            ["usageLocation"] = "US",
            ["accountEnabled"] = true,
            ["userType"] = "Member",
            ["department"] = department,
            ["assignedLicenses"] = new JsonArray(new JsonObject { ["skuId"] = TestEmulator.RemoteAssistSku.ToString(), ["disabledPlans"] = new JsonArray() }),
        };
        using var admin = emulator.CreateHttpClient();
        (await admin.PostAsJsonAsync($"_emulator/tenants/{tenantId}/users", user)).EnsureSuccessStatusCode();
        return id;
    }
}
