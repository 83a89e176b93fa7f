using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.Graph.Models.ODataErrors;

namespace RAOrchestrator.GraphEmulator.Tests;

public sealed class AdminTests
{
    [Fact]
    public async Task A_tenant_added_through_the_admin_endpoint_issues_tokens_and_serves_graph()
    {
        await using var server = await GraphEmulatorServer.StartAsync(TestData.Options());
        using var admin = server.CreateHttpClient();
        const string tenantId = "44444444-4444-4444-8444-444444444444";
        var created = await admin.PostAsync("_emulator/tenants", BatchTests.Json(new JsonObject
        {
            ["id"] = tenantId,
            ["displayName"] = "Added Later",
            ["domains"] = new JsonArray(new JsonObject { ["name"] = "later.example", ["isDefault"] = true, ["isInitial"] = true }),
            ["consentedApps"] = new JsonArray(TestData.AppId),
            ["skus"] = new JsonArray(new JsonObject { ["skuId"] = TestData.E5.ToString(), ["skuPartNumber"] = "SPE_E5", ["enabled"] = 3 }),
            ["users"] = new JsonArray(new JsonObject { ["displayName"] = "Lena Later", ["userPrincipalName"] = "lena@later.example", ["mailNickname"] = "lena" }),
        }));
        Assert.Equal(201, (int)created.StatusCode);

        var client = server.CreateGraphClient(tenantId, TestData.AppId, TestData.AppSecret);
        var users = await client.Users.GetAsync();
        Assert.Equal("lena@later.example", Assert.Single(users!.Value!).UserPrincipalName);

        var dump = JsonNode.Parse(await admin.GetStringAsync($"_emulator/tenants/{tenantId}"))!;
        Assert.Equal("Added Later", (string?)dump["displayName"]);
        Assert.Equal(0, (int)dump["skus"]![0]!["consumedUnits"]!);
    }

    [Fact]
    public async Task Revoking_consent_turns_graph_calls_into_403_and_token_requests_into_AADSTS65001()
    {
        await using var server = await GraphEmulatorServer.StartAsync(TestData.Options());
        var client = server.CreateGraphClient(TestData.TenantA, TestData.AppId, TestData.AppSecret);
        await client.Organization.GetAsync();

        using var admin = server.CreateHttpClient();
        (await admin.DeleteAsync($"_emulator/tenants/{TestData.TenantA}/consents/{TestData.AppId}")).EnsureSuccessStatusCode();
        var e = await Assert.ThrowsAsync<ODataError>(() => client.Organization.GetAsync());
        Assert.Equal(403, e.ResponseStatusCode);
        Assert.Equal("Authorization_RequestDenied", e.Error?.Code);

        var fresh = server.CreateCredential(TestData.TenantA, TestData.AppId, TestData.AppSecret);
        await Assert.ThrowsAsync<Azure.Identity.AuthenticationFailedException>(() =>
            fresh.GetTokenAsync(new TokenRequestContext([GraphEmulatorServer.GraphScope]), default).AsTask());

        (await admin.PutAsync($"_emulator/tenants/{TestData.TenantA}/consents/{TestData.AppId}", null)).EnsureSuccessStatusCode();
        await client.Organization.GetAsync();
    }

    [Fact]
    public async Task Teams_settings_are_stored_and_drive_the_default_lobby()
    {
        await using var server = await GraphEmulatorServer.StartAsync(TestData.Options());
        using var admin = server.CreateHttpClient();
        var put = await admin.PutAsync($"_emulator/tenants/{TestData.TenantA}/teams-settings", BatchTests.Json(new JsonObject
        {
            ["disableAnonymousJoin"] = true,
            ["allowAnonymousUsersToJoinMeeting"] = false,
            ["autoAdmittedUsers"] = "Everyone",
        }));
        put.EnsureSuccessStatusCode();
        var settings = JsonNode.Parse(await admin.GetStringAsync($"_emulator/tenants/{TestData.TenantA}/teams-settings"))!;
        Assert.True((bool)settings["disableAnonymousJoin"]!);
        Assert.False((bool)settings["allowAnonymousUsersToJoinMeeting"]!);

        var client = server.CreateGraphClient(TestData.TenantA, TestData.AppId, TestData.AppSecret);
        var meeting = await client.Users[TestData.OrganizerA].OnlineMeetings.PostAsync(new Microsoft.Graph.Models.OnlineMeeting { Subject = "Default lobby" });
        Assert.Equal(Microsoft.Graph.Models.LobbyBypassScope.Everyone, meeting!.LobbyBypassSettings?.Scope);
    }

    [Fact]
    public async Task A_pfx_path_keeps_the_certificate_thumbprint_across_runs_and_the_pem_is_written()
    {
        var dir = Directory.CreateTempSubdirectory("emulator-cert-");
        try
        {
            var pfx = Path.Combine(dir.FullName, "emulator.pfx");
            var pem = Path.Combine(dir.FullName, "emulator.pem");
            string first;
            await using (var a = await GraphEmulatorServer.StartAsync(TestData.Options(o => { o.CertificatePfxPath = pfx; o.CertificatePemOutputPath = pem; })))
            {
                first = a.CertificateSha256Thumbprint;
            }
            await using var b = await GraphEmulatorServer.StartAsync(TestData.Options(o => o.CertificatePfxPath = pfx));
            Assert.Equal(first, b.CertificateSha256Thumbprint);

            // Another process pins the PEM it was given.
            using var pinned = new HttpClient(Hosting.EmulatorTls.CreatePinnedHandler(Hosting.EmulatorTls.LoadPem(pem))) { BaseAddress = b.BaseAddress };
            (await pinned.GetAsync("raorchestrator-partners/discovery/v2.0/keys")).EnsureSuccessStatusCode();

            // A client pinned to some other certificate refuses the emulator.
            using var other = Hosting.EmulatorCertificate.CreateSelfSigned();
            using var wrong = new HttpClient(Hosting.EmulatorTls.CreatePinnedHandler(other)) { BaseAddress = b.BaseAddress };
            await Assert.ThrowsAsync<HttpRequestException>(() => wrong.GetAsync("raorchestrator-partners/discovery/v2.0/keys"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
