using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.GraphEmulator.Tests;

/// <summary>
/// Partners' staff sign in at the partner issuer (the authority of partner API tokens) to an app registered there, as
/// Entra users sign in to their tenant's apps: the id token carries the staff member's partner (partner_id) and the
/// app roles assigned on that app (roles), signed with the partner issuer's published key.
/// </summary>
public sealed class PartnerStaffSignInTests : IAsyncLifetime
{
    private const string ConsoleApp = "cccccccc-0000-4000-8000-00000000c0de";
    private const string ConsoleSecret = "console-staff-secret";
    private const string OtherApp = "dddddddd-0000-4000-8000-00000000d0de";
    private const string Callback = "http://127.0.0.1:5082/console/staff/callback";
    private const string Writer = "sam@contoso-msp.test";
    private const string Nobody = "nora@contoso-msp.test";
    private GraphEmulatorServer _server = null!;
    private SignInClient _client = null!;

    private string Issuer => _server.State.PartnerIssuer;

    public async Task InitializeAsync()
    {
        var data = TestData.Build();
        data.PartnerApps =
        [
            new AppRegistrationData { ClientId = ConsoleApp, ClientSecret = ConsoleSecret, DisplayName = "Lobby console", RedirectUris = ["http://127.0.0.1/console/staff/callback"] },
            new AppRegistrationData { ClientId = OtherApp, ClientSecret = "other", DisplayName = "Other app", RedirectUris = ["http://127.0.0.1/other"] },
        ];
        data.PartnerStaff =
        [
            new PartnerStaffData
            {
                UserPrincipalName = Writer, DisplayName = "Sam Support", PartnerId = "contoso-msp",
                AppRoles = new() { [ConsoleApp] = ["RAOrchestrator.Write"], [OtherApp] = ["Other.Admin"] },
            },
            new PartnerStaffData { UserPrincipalName = Nobody, DisplayName = "Nora Nobody" },
        ];
        _server = await GraphEmulatorServer.StartAsync(new GraphEmulatorOptions { Data = data });
        _client = new SignInClient(_server);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_staff_member_signs_in_and_the_id_token_carries_the_partner_and_the_apps_roles_signed_by_the_partner_issuer()
    {
        var token = await SignInAsync(Writer);

        using var http = _server.CreateHttpClient();
        var discovery = JsonNode.Parse(await http.GetStringAsync(_server.PartnerMetadataAddress))!;
        Assert.Contains("authorization_code", discovery["grant_types_supported"]!.AsArray().Select(g => (string?)g));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = (string)discovery["issuer"]!,
            ValidAudience = ConsoleApp,
            IssuerSigningKeys = new JsonWebKeySet(await http.GetStringAsync((string)discovery["jwks_uri"]!)).GetSigningKeys(),
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal(_server.PartnerIssuerUri, jwt.Issuer);
        Assert.Equal(("contoso-msp", "nonce-456", "Sam Support", Writer),
            (jwt.GetClaim("partner_id").Value, jwt.GetClaim("nonce").Value, jwt.GetClaim("name").Value, jwt.GetClaim("preferred_username").Value));
        // Only the roles assigned on this app, not those on another app of the issuer.
        Assert.Equal(["RAOrchestrator.Write"], jwt.Claims.Where(c => c.Type == "roles").Select(c => c.Value));
    }

    [Fact]
    public async Task A_user_of_the_issuer_who_is_nobodys_staff_gets_neither_partner_nor_roles()
    {
        var jwt = new JsonWebToken(await SignInAsync(Nobody));

        Assert.False(jwt.TryGetClaim("partner_id", out _));
        Assert.False(jwt.TryGetClaim("roles", out _));
    }

    [Fact]
    public async Task The_msp_app_cannot_sign_anyone_in_at_the_partner_issuer_and_a_partner_app_cannot_sign_in_a_customer_tenants_user()
    {
        var (_, challenge) = SignInClient.NewPkce();

        var (atIssuer, issuerPage, _) = await _client.AuthorizeAsync(SignInClient.AuthorizeUrl(Issuer, Callback, challenge, clientId: TestData.AppId));
        var (atTenant, tenantPage, _) = await _client.AuthorizeAsync(SignInClient.AuthorizeUrl(TestData.TenantA, Callback, challenge, clientId: ConsoleApp));

        Assert.Equal((400, 400), ((int)atIssuer.StatusCode, (int)atTenant.StatusCode));
        Assert.Contains("AADSTS700016", issuerPage, StringComparison.Ordinal);
        Assert.Contains("AADSTS700016", tenantPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_added_through_the_admin_endpoint_can_sign_in()
    {
        using var http = _server.CreateHttpClient();
        var added = await http.PostAsync("_emulator/partner-staff", BatchTests.Json(new JsonObject
        {
            ["userPrincipalName"] = "rita@fabrikam-msp.test",
            ["displayName"] = "Rita Read",
            ["partnerId"] = "fabrikam-msp",
            ["appRoles"] = new JsonObject { [ConsoleApp] = new JsonArray("RAOrchestrator.Read") },
        }));
        added.EnsureSuccessStatusCode();

        var jwt = new JsonWebToken(await SignInAsync("rita@fabrikam-msp.test"));

        Assert.Equal(("fabrikam-msp", "RAOrchestrator.Read"), (jwt.GetClaim("partner_id").Value, jwt.GetClaim("roles").Value));
    }

    /// <summary>The whole code flow at the partner issuer for the console app; returns the id token.</summary>
    private async Task<string> SignInAsync(string username)
    {
        var (verifier, challenge) = SignInClient.NewPkce();
        var (page, html, requestId) = await _client.AuthorizeAsync(SignInClient.AuthorizeUrl(Issuer, Callback, challenge, clientId: ConsoleApp, loginHint: username));
        Assert.True(200 == (int)page.StatusCode, html);
        var (posted, form) = await _client.PostLoginAsync(Issuer, requestId!, username, GraphEmulatorOptions.DefaultSignInPassword);
        Assert.True(302 == (int)posted.StatusCode, form);
        var code = SignInClient.QueryOf(posted)["code"]!;
        var (redeemed, body) = await _client.RedeemAsync(Issuer, code, verifier, Callback, ConsoleApp, ConsoleSecret);
        Assert.True(redeemed.IsSuccessStatusCode, body.ToJsonString());
        return (string)body["id_token"]!;
    }
}
