using Azure.Core;
using Azure.Identity;
using Microsoft.IdentityModel.JsonWebTokens;

namespace RAOrchestrator.GraphEmulator.Tests;

public sealed class TokenTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly TokenRequestContext GraphScope = new([GraphEmulatorServer.GraphScope]);

    /// <summary>
    /// Azure.Identity (in Azure.Core 1.64) no longer copies Entra's message into AuthenticationFailedException.Message
    /// for MSAL service errors; the AADSTS code is on the inner MsalServiceException.
    /// </summary>
    private static void AssertAadsts(AuthenticationFailedException e, string code)
    {
        var msal = Assert.IsAssignableFrom<Microsoft.Identity.Client.MsalServiceException>(e.InnerException);
        Assert.Contains(code + ":", msal.Message);
        Assert.Contains(code[6..], msal.ResponseBody);
    }

    [Fact]
    public async Task ClientSecretCredential_gets_a_graph_token_for_a_consented_tenant()
    {
        var credential = fixture.Server.CreateCredential(TestData.TenantA, TestData.AppId, TestData.AppSecret);
        var token = await credential.GetTokenAsync(GraphScope, default);

        var jwt = new JsonWebToken(token.Token);
        Assert.Equal("RS256", jwt.Alg);
        Assert.Equal("https://graph.microsoft.com", jwt.Audiences.Single());
        Assert.Equal(TestData.TenantA, jwt.GetClaim("tid").Value);
        Assert.Equal(TestData.AppId, jwt.GetClaim("appid").Value);
        Assert.True(token.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(50));
        Assert.True(fixture.Server.State.Counters.ForTenant(TestData.TenantA).TokenRequests >= 1);
    }

    [Fact]
    public async Task Missing_admin_consent_fails_with_AADSTS65001()
    {
        var credential = fixture.Server.CreateCredential(TestData.TenantNoConsent, TestData.AppId, TestData.AppSecret);
        var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => credential.GetTokenAsync(GraphScope, default).AsTask());
        AssertAadsts(e, "AADSTS65001");
    }

    [Fact]
    public async Task Bad_secret_fails_with_AADSTS7000215()
    {
        var credential = fixture.Server.CreateCredential(TestData.TenantA, TestData.AppId, "wrong");
        var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => credential.GetTokenAsync(GraphScope, default).AsTask());
        AssertAadsts(e, "AADSTS7000215");
    }

    [Fact]
    public async Task Unknown_tenant_fails_with_AADSTS90002()
    {
        var credential = fixture.Server.CreateCredential("99999999-9999-4999-8999-999999999999", TestData.AppId, TestData.AppSecret);
        var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => credential.GetTokenAsync(GraphScope, default).AsTask());
        AssertAadsts(e, "AADSTS90002");
    }

    [Fact]
    public async Task Entra_error_body_has_the_real_shape()
    {
        using var http = fixture.Server.CreateHttpClient();
        var response = await http.PostAsync($"{TestData.TenantNoConsent}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = TestData.AppId,
            ["client_secret"] = TestData.AppSecret,
            ["grant_type"] = "client_credentials",
            ["scope"] = "https://graph.microsoft.com/.default",
        }));
        Assert.Equal(400, (int)response.StatusCode);
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("invalid_grant", (string?)body["error"]);
        Assert.StartsWith("AADSTS65001:", (string?)body["error_description"]);
        Assert.Equal(65001, (int)body["error_codes"]![0]!);
        Assert.NotNull((string?)body["trace_id"]);
        Assert.NotNull((string?)body["correlation_id"]);
        Assert.NotNull((string?)body["timestamp"]);
    }

    [Fact]
    public async Task Graph_rejects_missing_and_foreign_tokens_with_InvalidAuthenticationToken()
    {
        using var http = fixture.Server.CreateHttpClient();
        var none = await http.GetAsync("v1.0/users");
        Assert.Equal(401, (int)none.StatusCode);
        Assert.Contains("InvalidAuthenticationToken", await none.Content.ReadAsStringAsync());

        // A partner token is signed by another key and has another audience.
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1.0/users");
        request.Headers.Authorization = new("Bearer", fixture.Server.MintPartnerToken("contoso-msp", ["RAOrchestrator.Read"]));
        var foreign = await http.SendAsync(request);
        Assert.Equal(401, (int)foreign.StatusCode);
    }
}
