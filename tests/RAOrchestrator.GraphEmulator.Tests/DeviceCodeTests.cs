using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RAOrchestrator.GraphEmulator.DeviceCode;
using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.GraphEmulator.Tests;

/// <summary>
/// The device code flow at the partner issuer, in Entra's shapes: a public client (a command line) asks for a code, a
/// person enters it and signs in at the verification page, and the client's polls get authorization_pending, slow_down,
/// access_denied or expired_token until they get an access token for the RAOrchestrator API, which refresh tokens renew.
/// </summary>
public sealed class DeviceCodeTests : IAsyncLifetime
{
    private const string CliApp = "eeeeeeee-0000-4000-8000-00000000c11e";
    private const string ConfidentialApp = "cccccccc-0000-4000-8000-00000000c0de";
    private const string Scope = "api://raorchestrator/.default openid profile offline_access";
    private const string Writer = "sam@contoso-msp.test";
    private readonly ManualTime _time = new();
    private GraphEmulatorServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var data = TestData.Build();
        data.PartnerApps =
        [
            new AppRegistrationData { ClientId = CliApp, DisplayName = "raorch", AllowPublicClientFlows = true },
            new AppRegistrationData { ClientId = ConfidentialApp, ClientSecret = "secret", DisplayName = "Lobby console" },
        ];
        data.PartnerStaff =
        [
            new PartnerStaffData
            {
                UserPrincipalName = Writer, DisplayName = "Sam Support", PartnerId = "contoso-msp",
                AppRoles = new() { [CliApp] = ["RAOrchestrator.Write"], [ConfidentialApp] = ["Other.Role"] },
            },
        ];
        _server = await GraphEmulatorServer.StartAsync(new GraphEmulatorOptions { Data = data, TimeProvider = _time });
        _http = _server.CreateHttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private string Issuer => _server.State.PartnerIssuer;

    [Fact]
    public async Task A_person_who_enters_the_code_and_signs_in_gives_the_device_an_api_token_with_their_partner_and_roles_and_a_refresh_token_that_renews_it()
    {
        var start = await StartAsync();
        Assert.Equal(_server.BaseAddress + "devicelogin", (string?)start["verification_uri"]);
        Assert.Equal((900, 5), ((int)start["expires_in"]!, (int)start["interval"]!));
        var userCode = (string)start["user_code"]!;
        Assert.Equal($"To sign in, use a web browser to open the page {_server.BaseAddress}devicelogin and enter the code {userCode} to authenticate.", (string?)start["message"]);

        var page = await VerifyAsync(userCode, Writer, GraphEmulatorOptions.DefaultSignInPassword);
        Assert.Contains("You have signed in to the raorch application on your device", page, StringComparison.Ordinal);

        var (status, tokens) = await PollAsync((string)start["device_code"]!);
        Assert.Equal(200, status);
        Assert.Equal(("Bearer", "api://raorchestrator/.default", 3600), ((string?)tokens["token_type"], (string?)tokens["scope"], (int)tokens["expires_in"]!));
        var api = await ValidateApiTokenAsync((string)tokens["access_token"]!);
        Assert.Equal(("contoso-msp", Writer), (api.GetClaim("partner_id").Value, api.GetClaim("preferred_username").Value));
        Assert.Equal(["RAOrchestrator.Write"], api.Claims.Where(c => c.Type == "roles").Select(c => c.Value));
        var id = new JsonWebToken((string)tokens["id_token"]!);
        Assert.Equal(CliApp, id.Audiences.Single());
        var clientInfo = JsonNode.Parse(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes((string)tokens["client_info"]!)))!;
        Assert.Equal((id.GetClaim("oid").Value, Issuer), ((string?)clientInfo["uid"], (string?)clientInfo["utid"]));

        // The code is used up; the refresh token gets a new access token (and a new refresh token).
        Assert.Equal("invalid_grant", (string?)(await PollAsync((string)start["device_code"]!)).Body["error"]);
        var (refreshStatus, refreshed) = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["client_id"] = CliApp, ["refresh_token"] = (string)tokens["refresh_token"]!, ["scope"] = Scope });
        Assert.Equal(200, refreshStatus);
        Assert.Equal("contoso-msp", (await ValidateApiTokenAsync((string)refreshed["access_token"]!)).GetClaim("partner_id").Value);
        Assert.NotEqual((string?)tokens["refresh_token"], (string?)refreshed["refresh_token"]);

        var (wrongClient, refused) = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["client_id"] = ConfidentialApp, ["client_secret"] = "secret", ["refresh_token"] = (string)tokens["refresh_token"]!, ["scope"] = Scope });
        Assert.Equal((400, "invalid_grant"), (wrongClient, (string?)refused["error"]));
    }

    [Fact]
    public async Task Polls_before_the_person_decides_are_pending_polling_faster_than_the_interval_is_slow_down_and_a_cancel_is_access_denied()
    {
        var start = await StartAsync();
        var deviceCode = (string)start["device_code"]!;

        var first = await PollAsync(deviceCode);
        Assert.Equal((400, "authorization_pending", 70016), (first.Status, (string?)first.Body["error"], (int)first.Body["error_codes"]![0]!));
        Assert.StartsWith("AADSTS70016: ", (string?)first.Body["error_description"], StringComparison.Ordinal);
        Assert.NotNull((string?)first.Body["correlation_id"]);
        Assert.Equal("slow_down", (string?)(await PollAsync(deviceCode)).Body["error"]);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("authorization_pending", (string?)(await PollAsync(deviceCode)).Body["error"]);

        var wrongPassword = await VerifyAsync((string)start["user_code"]!, Writer, "not-the-password");
        Assert.Contains("AADSTS50126", wrongPassword, StringComparison.Ordinal);
        var wrongCode = await VerifyAsync("BCDFGHJKL", Writer, GraphEmulatorOptions.DefaultSignInPassword);
        Assert.Contains("That code didn&#39;t work", wrongCode, StringComparison.Ordinal);

        var cancelled = await VerifyAsync((string)start["user_code"]!, Writer, "", action: "cancel");
        Assert.Contains("You have declined to sign in", cancelled, StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromSeconds(5));
        var denied = await PollAsync(deviceCode);
        Assert.Equal((400, "access_denied"), (denied.Status, (string?)denied.Body["error"]));
    }

    [Fact]
    public async Task A_code_nobody_entered_in_time_is_expired_token()
    {
        var start = await StartAsync();

        _time.Advance(TimeSpan.FromMinutes(16));

        var expired = await PollAsync((string)start["device_code"]!);
        Assert.Equal((400, "expired_token", 70019), (expired.Status, (string?)expired.Body["error"], (int)expired.Body["error_codes"]![0]!));
        Assert.Contains("That code didn&#39;t work", await VerifyAsync((string)start["user_code"]!, Writer, GraphEmulatorOptions.DefaultSignInPassword), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_an_app_that_allows_public_client_flows_gets_a_device_code_and_only_for_the_api()
    {
        var confidential = await PostAsync($"{Issuer}/oauth2/v2.0/devicecode", new() { ["client_id"] = ConfidentialApp, ["scope"] = Scope });
        Assert.Equal((401, "invalid_client", 7000218), (confidential.Status, (string?)confidential.Body["error"], (int)confidential.Body["error_codes"]![0]!));

        var unknown = await PostAsync($"{Issuer}/oauth2/v2.0/devicecode", new() { ["client_id"] = Guid.NewGuid().ToString(), ["scope"] = Scope });
        Assert.Equal((400, "unauthorized_client"), (unknown.Status, (string?)unknown.Body["error"]));

        var graphScope = await PostAsync($"{Issuer}/oauth2/v2.0/devicecode", new() { ["client_id"] = CliApp, ["scope"] = "https://graph.microsoft.com/.default openid" });
        Assert.Equal((400, "invalid_scope"), (graphScope.Status, (string?)graphScope.Body["error"]));

        var noClient = await PostAsync($"{Issuer}/oauth2/v2.0/devicecode", new() { ["scope"] = Scope });
        Assert.Equal((400, "invalid_request"), (noClient.Status, (string?)noClient.Body["error"]));
    }

    private async Task<JsonNode> StartAsync()
    {
        var (status, body) = await PostAsync($"{Issuer}/oauth2/v2.0/devicecode", new() { ["client_id"] = CliApp, ["scope"] = Scope });
        Assert.True(status == 200, body.ToJsonString());
        return body;
    }

    private Task<(int Status, JsonNode Body)> PollAsync(string deviceCode) =>
        TokenAsync(new() { ["grant_type"] = DeviceCodeGrant.GrantType, ["client_id"] = CliApp, ["device_code"] = deviceCode, ["client_info"] = "1" });

    private Task<(int Status, JsonNode Body)> TokenAsync(Dictionary<string, string> form) => PostAsync($"{Issuer}/oauth2/v2.0/token", form);

    private async Task<(int Status, JsonNode Body)> PostAsync(string path, Dictionary<string, string> form)
    {
        using var response = await _http.PostAsync(path, new FormUrlEncodedContent(form));
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>The person at the verification page: the code, their user name and password, and Sign in (or Cancel).</summary>
    private async Task<string> VerifyAsync(string userCode, string username, string password, string action = "accept")
    {
        using var response = await _http.PostAsync("devicelogin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["code"] = userCode,
            ["username"] = username,
            ["password"] = password,
            ["action"] = action,
        }));
        Assert.Equal(200, (int)response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The token as the service checks a partner token: the partner issuer's keys and issuer, the API's audience.</summary>
    private async Task<JsonWebToken> ValidateApiTokenAsync(string token)
    {
        var discovery = JsonNode.Parse(await _http.GetStringAsync(_server.PartnerMetadataAddress))!;
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = (string)discovery["issuer"]!,
            ValidAudience = "api://raorchestrator",
            IssuerSigningKeys = new JsonWebKeySet(await _http.GetStringAsync((string)discovery["jwks_uri"]!)).GetSigningKeys(),
            LifetimeValidator = (_, _, _, _) => true,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        return (JsonWebToken)result.SecurityToken;
    }
}
