using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Server.Tests.Infrastructure;

/// <summary>Active tenants for service-account tests, account requests, and users the customer had before the service.</summary>
public static class AccountTenants
{
    /// <summary>A ready tenant in the emulator, onboarded by <paramref name="partner"/> and ACTIVE.</summary>
    public static async Task<(string Name, string TenantId, string Domain)> ActiveAsync(ServerFixture fixture, string partner, int remoteAssistSeats = 50,
        JsonObject? passPolicy = null, IReadOnlyList<string>? appPermissions = null)
    {
        var tenantId = TestIds.NewTenantId();
        await TestEmulator.AddTenantAsync(fixture.Emulator, tenantId, remoteAssistSeats: remoteAssistSeats, passPolicy: passPolicy, appPermissions: appPermissions);
        var created = await fixture.Server.Tenants(fixture.Tokens.Writer(partner)).CreateTenantAsync(ReadyTenants.Create(tenantId));
        var done = (await fixture.Server.Operations(fixture.Tokens.Reader(partner)).WatchToEndAsync(created.Operation.Name))[^1];
        Assert.Equal(Operation.Types.State.Succeeded, done.State);
        return (created.Tenant.Name, tenantId, TestEmulator.DefaultDomain(tenantId));
    }

    public static CreateServiceAccountRequest Account(string tenant, string id, string upn, bool barrierLicense = false) => new()
    {
        RequestId = TestIds.NewRequestId(),
        Parent = tenant,
        ServiceAccountId = id,
        ServiceAccount = new ServiceAccount
        {
            DisplayName = "OEM vendor " + id,
            UserPrincipalName = upn,
            UsageLocation = "DE",
            Attributes = { ["companyName"] = "OEM Ltd" },
            BarrierLicense = barrierLicense,
        },
    };

    /// <summary>A member the customer made before the service came, holding <paramref name="skus"/>; returns its id.</summary>
    public static async Task<string> AddCustomerUserAsync(ServerFixture fixture, string tenantId, string upn, params Guid[] skus)
    {
        var id = Guid.NewGuid().ToString();
        var licences = new JsonArray();
        foreach (var sku in skus)
        {
            licences.Add(new JsonObject { ["skuId"] = sku.ToString(), ["disabledPlans"] = new JsonArray() });
        }

        var user = new JsonObject
        {
            ["id"] = id,
            ["displayName"] = "Customer's own " + upn,
            ["userPrincipalName"] = upn,
            ["mailNickname"] = upn.Split('@')[0],
            ["usageLocation"] = "US",
            ["accountEnabled"] = true,
            ["userType"] = "Member",
            ["createdDateTime"] = DateTimeOffset.UtcNow.AddYears(-2).ToString("O"),
            ["assignedLicenses"] = licences,
        };
        using var admin = fixture.Emulator.CreateHttpClient();
        (await admin.PostAsJsonAsync($"_emulator/tenants/{tenantId}/users", user)).EnsureSuccessStatusCode();
        return id;
    }

    /// <summary>The SKUs a user holds in the emulator.</summary>
    public static IReadOnlyList<Guid> Skus(JsonObject user) =>
        ((JsonArray)user["assignedLicenses"]!).Select(l => Guid.Parse((string)l!["skuId"]!)).ToArray();
}
