using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RAOrchestrator.GraphEmulator.Tests;

public sealed class PartnerIssuerTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private async Task<TokenValidationParameters> ParametersFromDiscoveryAsync(HttpClient http)
    {
        var doc = JsonNode.Parse(await http.GetStringAsync(fixture.Server.PartnerMetadataAddress))!;
        var issuer = (string)doc["issuer"]!;
        Assert.Equal($"{fixture.Server.BaseAddress}raorchestrator-partners/v2.0", issuer);
        Assert.NotNull((string?)doc["token_endpoint"]);
        var jwks = new JsonWebKeySet(await http.GetStringAsync((string)doc["jwks_uri"]!));
        return new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = "api://raorchestrator",
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidateLifetime = true,
        };
    }

    [Fact]
    public async Task Admin_minted_partner_token_validates_against_discovery_and_jwks()
    {
        using var http = fixture.Server.CreateHttpClient();
        var minted = await http.PostAsync("_emulator/partner-tokens", BatchTests.Json(new JsonObject
        {
            ["partnerId"] = "fabrikam-msp",
            ["roles"] = new JsonArray("RAOrchestrator.Read"),
            ["lifetimeSeconds"] = 600,
        }));
        minted.EnsureSuccessStatusCode();
        var token = (string)JsonNode.Parse(await minted.Content.ReadAsStringAsync())!["access_token"]!;

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, await ParametersFromDiscoveryAsync(http));
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("fabrikam-msp", jwt.GetClaim("partner_id").Value);
        Assert.False(string.IsNullOrEmpty(jwt.Kid));
        Assert.Contains("\"roles\":[\"RAOrchestrator.Read\"]", Base64UrlEncoder.Decode(jwt.EncodedPayload));
        Assert.True(jwt.ValidTo <= DateTime.UtcNow.AddSeconds(610));
    }

    [Fact]
    public async Task Partner_client_credentials_token_carries_partner_and_roles()
    {
        using var http = fixture.Server.CreateHttpClient();
        var response = await http.PostAsync("raorchestrator-partners/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = TestData.PartnerClientId,
            ["client_secret"] = TestData.PartnerSecret,
            ["grant_type"] = "client_credentials",
            ["scope"] = "api://raorchestrator/.default",
        }));
        response.EnsureSuccessStatusCode();
        var token = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!;
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, await ParametersFromDiscoveryAsync(http));
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("contoso-msp", jwt.GetClaim("partner_id").Value);
        Assert.Equal(TestData.PartnerClientId, jwt.GetClaim("azp").Value);
        Assert.Equal(TestData.PartnerClientId, jwt.Subject);
        Assert.Equal(["RAOrchestrator.Read", "RAOrchestrator.Write"], jwt.Claims.Where(c => c.Type == "roles").Select(c => c.Value).Order());

        // A Graph-app secret does not work here, nor does the Graph scope.
        var wrong = await http.PostAsync("raorchestrator-partners/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = TestData.PartnerClientId,
            ["client_secret"] = "nope",
            ["grant_type"] = "client_credentials",
            ["scope"] = "api://raorchestrator/.default",
        }));
        Assert.Equal(401, (int)wrong.StatusCode);
    }

    [Fact]
    public async Task Demo_data_file_loads()
    {
        await using var server = await GraphEmulatorServer.StartAsync(new GraphEmulatorOptions
        {
            DataFile = Path.Combine(AppContext.BaseDirectory, "Data", "demo-tenants.json"),
        });
        var abc = server.State.Tenants.Values.Single(t => t.DisplayName == "Company ABC");
        Assert.Contains(abc.Skus, s => s.SkuPartNumber == "DYN365_REMOTE_ASSIST");
        Assert.Equal(1, abc.ConsumedUnits(abc.Skus.Single(s => s.SkuPartNumber == "DYN365_REMOTE_ASSIST").SkuId));
        Assert.Equal(2, server.State.PartnerClients.Count);
        // At the partner issuer: the lobby console's partner-staff sign-in, and raorch (a public client, device code flow);
        // staff of both partners.
        Assert.Equal([false, true], server.State.PartnerApps.Select(a => a.AllowPublicClientFlows));
        Assert.Equal(["contoso-msp", "contoso-msp", "fabrikam-msp"], server.State.PartnerStaff.Values.Select(s => s.PartnerId!).Order());
    }
}
