using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RAOrchestrator.GraphEmulator.SignIn;
using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.GraphEmulator.Tests;

/// <summary>The test data plus what sign-in needs: a redirect URI, an administrator and a disabled user in tenant A.</summary>
public sealed class SignInFixture : IAsyncLifetime
{
    public GraphEmulatorServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var data = TestData.Build();
        data.Apps[0].RedirectUris = [SignInTests.RegisteredLoopback, "https://app.example/callback"];
        var a = data.Tenants.Single(t => t.Id == TestData.TenantA);
        a.Users.Add(new JsonObject { ["id"] = SignInTests.AdminIdA, ["displayName"] = "Ada Admin", ["userPrincipalName"] = SignInTests.AdminA, ["mailNickname"] = "admin" });
        a.Users.Add(new JsonObject { ["displayName"] = "Dora Disabled", ["userPrincipalName"] = SignInTests.DisabledA, ["mailNickname"] = "dora", ["accountEnabled"] = false });
        a.DirectoryRoles = [new DirectoryRoleData { RoleTemplateId = DirectoryRoleIds.GlobalAdministrator, Members = [SignInTests.AdminA] }];
        Server = await GraphEmulatorServer.StartAsync(new GraphEmulatorOptions { Data = data });
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class SignInTests(SignInFixture fixture) : IClassFixture<SignInFixture>, IDisposable
{
    public const string RegisteredLoopback = "http://127.0.0.1/tenant-approval/callback";
    /// <summary>The registered loopback URI on another port: the port is ignored on loopback.</summary>
    public const string RedirectUri = "http://127.0.0.1:5082/tenant-approval/callback";
    public const string AdminA = "admin@companyabc.test";
    public const string AdminIdA = "0a000000-0000-4000-8000-0000000000ad";
    public const string DisabledA = "dora@companyabc.test";
    private static readonly string GlobalAdministrator = DirectoryRoleIds.GlobalAdministrator.ToString();
    private static readonly string PrivilegedRoleAdministrator = DirectoryRoleIds.PrivilegedRoleAdministrator.ToString();

    private readonly SignInClient _client = new(fixture.Server);
    private GraphEmulatorServer Server => fixture.Server;

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task An_administrator_signs_in_and_the_id_token_validates_against_the_tenants_published_keys()
    {
        Server.State.Requests.Clear();
        var (verifier, challenge) = SignInClient.NewPkce();
        var (page, html, requestId) = await _client.AuthorizeAsync(SignInClient.AuthorizeUrl(TestData.TenantA, RedirectUri, challenge, loginHint: AdminA));
        Assert.Equal(200, (int)page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains($"value=\"{AdminA}\"", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(requestId);

        var (posted, _) = await _client.PostLoginAsync(TestData.TenantA, requestId!, AdminA, GraphEmulatorOptions.DefaultSignInPassword);
        Assert.Equal(302, (int)posted.StatusCode);
        Assert.StartsWith(RedirectUri + "?", posted.Headers.Location!.ToString());
        var query = SignInClient.QueryOf(posted);
        Assert.Equal("state-123", query["state"]);
        Assert.NotNull(query["session_state"]);

        var (redeemed, body) = await _client.RedeemAsync(TestData.TenantA, query["code"]!, verifier);
        Assert.Equal(200, (int)redeemed.StatusCode);
        Assert.Equal("Bearer", (string?)body["token_type"]);
        Assert.Contains("openid", (string)body["scope"]!);
        Assert.Equal(3600, (int)body["expires_in"]!);
        Assert.Equal(3600, (int)body["ext_expires_in"]!);
        Assert.NotNull((string?)body["access_token"]);

        var metadata = JsonNode.Parse(await _client.Http.GetStringAsync($"{TestData.TenantA}/v2.0/.well-known/openid-configuration"))!;
        Assert.Contains("authorization_code", metadata["grant_types_supported"]!.AsArray().Select(x => (string?)x));
        var keys = new JsonWebKeySet(await _client.Http.GetStringAsync((string)metadata["jwks_uri"]!));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync((string)body["id_token"]!, new TokenValidationParameters
        {
            ValidIssuer = (string)metadata["issuer"]!,
            ValidAudience = TestData.AppId,
            IssuerSigningKeys = keys.GetSigningKeys(),
        });
        Assert.True(result.IsValid, result.Exception?.ToString());
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("RS256", jwt.Alg);
        Assert.Contains(keys.Keys, k => k.Kid == jwt.Kid);
        Assert.Equal(new Uri(Server.BaseAddress, $"{TestData.TenantA}/v2.0").ToString(), jwt.Issuer);
        Assert.Equal(TestData.TenantA, jwt.GetClaim("tid").Value);
        Assert.Equal(AdminIdA, jwt.GetClaim("oid").Value);
        Assert.Equal("nonce-456", jwt.GetClaim("nonce").Value);
        Assert.Equal(AdminA, jwt.GetClaim("preferred_username").Value);
        Assert.Equal("Ada Admin", jwt.GetClaim("name").Value);
        Assert.Equal("2.0", jwt.GetClaim("ver").Value);
        Assert.False(string.IsNullOrEmpty(jwt.Subject));
        Assert.Equal(TimeSpan.FromHours(1), jwt.ValidTo - jwt.ValidFrom);
        var wids = Wids(jwt);
        Assert.Contains(GlobalAdministrator, wids);
        Assert.Contains(DirectoryRoleIds.DefaultMember.ToString(), wids);

        // Entra traffic, not Graph reads of the tenant's directory.
        Assert.DoesNotContain(Server.State.Requests.Snapshot(), r => r.Tenant == TestData.TenantA);
        Assert.Equal(0, Server.State.Counters.ForTenant(TestData.TenantA).Requests);
    }

    [Fact]
    public async Task A_members_token_has_no_administrator_role_and_its_consent_checkbox_grants_nothing()
    {
        var tenant = AddTenantWithoutConsent(out _, out var member);
        var (query, verifier) = await _client.SignInAsync(tenant, member, prompt: "admin_consent", consent: true);
        Assert.NotNull(query["code"]);
        Assert.False(Consented(tenant));

        var (_, body) = await _client.RedeemAsync(tenant, query["code"]!, verifier);
        var wids = Wids(new JsonWebToken((string)body["id_token"]!));
        Assert.DoesNotContain(GlobalAdministrator, wids);
        Assert.DoesNotContain(PrivilegedRoleAdministrator, wids);
        Assert.Contains(DirectoryRoleIds.DefaultMember.ToString(), wids);
    }

    [Fact]
    public async Task An_administrators_consent_checkbox_consents_for_the_tenant_and_unchecked_it_does_not()
    {
        var tenant = AddTenantWithoutConsent(out var admin, out _);
        await _client.SignInAsync(tenant, admin, prompt: "admin_consent", consent: false);
        Assert.False(Consented(tenant));

        await _client.SignInAsync(tenant, admin, prompt: "admin_consent", consent: true);
        Assert.True(Consented(tenant));
        // The consent is the one client credentials need.
        var token = await Server.CreateCredential(tenant, TestData.AppId, TestData.AppSecret)
            .GetTokenAsync(new Azure.Core.TokenRequestContext([GraphEmulatorServer.GraphScope]), default);
        Assert.False(string.IsNullOrEmpty(token.Token));
    }

    [Fact]
    public async Task A_privileged_role_administrator_may_consent_too()
    {
        var tenant = AddTenantWithoutConsent(out _, out var member, memberRole: DirectoryRoleIds.PrivilegedRoleAdministrator);
        var (query, verifier) = await _client.SignInAsync(tenant, member, prompt: "consent", consent: true);
        Assert.True(Consented(tenant));
        var (_, body) = await _client.RedeemAsync(tenant, query["code"]!, verifier);
        Assert.Contains(PrivilegedRoleAdministrator, Wids(new JsonWebToken((string)body["id_token"]!)));
    }

    [Fact]
    public async Task A_code_redeemed_with_the_wrong_pkce_verifier_is_refused()
    {
        var (query, verifier) = await _client.SignInAsync(TestData.TenantA, TestData.OrganizerA);
        var (wrong, body) = await _client.RedeemAsync(TestData.TenantA, query["code"]!, SignInClient.NewPkce().Verifier);
        AssertEntraError(wrong, body, "invalid_grant", 501481);
        Assert.Contains("The Code_Verifier does not match the code_challenge supplied in the authorization request.", (string)body["error_description"]!);

        var (right, _) = await _client.RedeemAsync(TestData.TenantA, query["code"]!, verifier);
        Assert.Equal(200, (int)right.StatusCode);
    }

    [Fact]
    public async Task A_plain_pkce_challenge_is_checked_too()
    {
        const string verifier = "plain-verifier-plain-verifier-plain-verifier-0123";
        var (_, _, requestId) = await _client.AuthorizeAsync(SignInClient.AuthorizeUrl(TestData.TenantA, RedirectUri, verifier, method: "plain"));
        var (posted, _) = await _client.PostLoginAsync(TestData.TenantA, requestId!, TestData.OrganizerA, GraphEmulatorOptions.DefaultSignInPassword);
        var code = SignInClient.QueryOf(posted)["code"]!;

        var (wrong, body) = await _client.RedeemAsync(TestData.TenantA, code, verifier + "x");
        AssertEntraError(wrong, body, "invalid_grant", 501481);
        Assert.Equal(200, (int)(await _client.RedeemAsync(TestData.TenantA, code, verifier)).Response.StatusCode);
    }

    [Fact]
    public async Task A_code_is_redeemable_once()
    {
        var (query, verifier) = await _client.SignInAsync(TestData.TenantA, TestData.OrganizerA);
        Assert.Equal(200, (int)(await _client.RedeemAsync(TestData.TenantA, query["code"]!, verifier)).Response.StatusCode);

        var (again, body) = await _client.RedeemAsync(TestData.TenantA, query["code"]!, verifier);
        AssertEntraError(again, body, "invalid_grant", 54005);
        Assert.Contains("OAuth2 Authorization code was already redeemed", (string)body["error_description"]!);
    }

    [Fact]
    public async Task A_code_redeemed_at_another_tenants_endpoint_is_refused()
    {
        var (query, verifier) = await _client.SignInAsync(TestData.TenantA, TestData.OrganizerA);
        var (other, body) = await _client.RedeemAsync(TestData.TenantNoPolicy, query["code"]!, verifier);
        AssertEntraError(other, body, "invalid_grant", 700005);

        Assert.Equal(200, (int)(await _client.RedeemAsync(TestData.TenantA, query["code"]!, verifier)).Response.StatusCode);
    }

    [Fact]
    public async Task A_code_redeemed_with_another_redirect_uri_is_refused()
    {
        var (query, verifier) = await _client.SignInAsync(TestData.TenantA, TestData.OrganizerA);
        var (other, body) = await _client.RedeemAsync(TestData.TenantA, query["code"]!, verifier, "http://127.0.0.1:5099/tenant-approval/callback");
        AssertEntraError(other, body, "invalid_grant", 500112);
    }

    [Fact]
    public async Task An_unregistered_redirect_uri_gets_the_AADSTS50011_page_and_no_redirect()
    {
        const string evil = "https://evil.example/tenant-approval/callback";
        var (response, html, requestId) = await _client.AuthorizeAsync(SignInClient.AuthorizeUrl(TestData.TenantA, evil, SignInClient.NewPkce().Challenge));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Null(requestId);
        Assert.Contains($"AADSTS50011: The redirect URI &#39;{evil}&#39; specified in the request does not match the redirect URIs configured for the application &#39;{TestData.AppId}&#39;.", html);
    }

    [Fact]
    public async Task On_loopback_http_the_port_is_ignored_and_elsewhere_it_is_not()
    {
        const string anyPort = "http://127.0.0.1:61234/tenant-approval/callback";
        var (query, _) = await _client.SignInAsync(TestData.TenantA, TestData.OrganizerA, redirectUri: anyPort);
        Assert.NotNull(query["code"]);

        var (otherPort, html, _) = await _client.AuthorizeAsync(
            SignInClient.AuthorizeUrl(TestData.TenantA, "https://app.example:8443/callback", SignInClient.NewPkce().Challenge));
        Assert.Equal(400, (int)otherPort.StatusCode);
        Assert.Contains("AADSTS50011", html);
        var (otherPath, _, _) = await _client.AuthorizeAsync(
            SignInClient.AuthorizeUrl(TestData.TenantA, "http://127.0.0.1:61234/tenant-approval/Callback", SignInClient.NewPkce().Challenge));
        Assert.Equal(400, (int)otherPath.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_shows_the_form_again_with_AADSTS50126()
    {
        var (_, _, requestId) = await _client.AuthorizeAsync(SignInClient.AuthorizeUrl(TestData.TenantA, RedirectUri, SignInClient.NewPkce().Challenge));
        var (wrong, html) = await _client.PostLoginAsync(TestData.TenantA, requestId!, AdminA, "not-the-password");
        Assert.Equal(200, (int)wrong.StatusCode);
        Assert.Null(wrong.Headers.Location);
        Assert.Contains("Your account or password is incorrect.", html);
        Assert.Contains("AADSTS50126", html);

        var (right, _) = await _client.PostLoginAsync(TestData.TenantA, requestId!, AdminA, GraphEmulatorOptions.DefaultSignInPassword);
        Assert.Equal(302, (int)right.StatusCode);
    }

    [Fact]
    public async Task A_user_of_another_tenant_gets_AADSTS50034()
    {
        var (_, _, requestId) = await _client.AuthorizeAsync(SignInClient.AuthorizeUrl(TestData.TenantA, RedirectUri, SignInClient.NewPkce().Challenge));
        var (response, html) = await _client.PostLoginAsync(TestData.TenantA, requestId!, "paul@nopolicy.onmicrosoft.com", GraphEmulatorOptions.DefaultSignInPassword);
        Assert.Null(response.Headers.Location);
        Assert.Contains("AADSTS50034", html);
    }

    [Fact]
    public async Task A_disabled_account_gets_AADSTS50057()
    {
        var (_, _, requestId) = await _client.AuthorizeAsync(SignInClient.AuthorizeUrl(TestData.TenantA, RedirectUri, SignInClient.NewPkce().Challenge));
        var (response, html) = await _client.PostLoginAsync(TestData.TenantA, requestId!, DisabledA, GraphEmulatorOptions.DefaultSignInPassword);
        Assert.Null(response.Headers.Location);
        Assert.Contains("AADSTS50057", html);
    }

    [Fact]
    public async Task Cancel_redirects_with_access_denied_and_the_state()
    {
        var (_, html, requestId) = await _client.AuthorizeAsync(
            SignInClient.AuthorizeUrl(TestData.TenantA, RedirectUri, SignInClient.NewPkce().Challenge, state: "s-cancel", prompt: "admin_consent"));
        Assert.Contains("Consent on behalf of your organization", html);
        Assert.Contains("name=\"consent\"", html);

        var (response, _) = await _client.PostLoginAsync(TestData.TenantA, requestId!, AdminA, "", action: "cancel");
        Assert.Equal(302, (int)response.StatusCode);
        var query = SignInClient.QueryOf(response);
        Assert.Equal("access_denied", query["error"]);
        Assert.StartsWith("AADSTS65004: User declined to consent to access the app.", query["error_description"]);
        Assert.Equal("s-cancel", query["state"]);
        Assert.Null(query["code"]);
    }

    [Fact]
    public async Task Requests_the_app_cannot_be_told_about_get_an_error_page()
    {
        var challenge = SignInClient.NewPkce().Challenge;
        var (tenant, tenantHtml, _) = await _client.AuthorizeAsync(SignInClient.AuthorizeUrl("no-such-tenant.example", RedirectUri, challenge));
        Assert.Equal(400, (int)tenant.StatusCode);
        Assert.Contains("AADSTS90002", tenantHtml);
        var (client, clientHtml, _) = await _client.AuthorizeAsync(SignInClient.AuthorizeUrl(TestData.TenantA, RedirectUri, challenge, clientId: "unknown-client"));
        Assert.Equal(400, (int)client.StatusCode);
        Assert.Null(client.Headers.Location);
        Assert.Contains("AADSTS700016", clientHtml);
    }

    [Fact]
    public async Task Errors_after_the_redirect_uri_is_known_go_back_to_the_app_with_the_state()
    {
        async Task<System.Collections.Specialized.NameValueCollection> Back(string url)
        {
            var (response, _, requestId) = await _client.AuthorizeAsync(url);
            Assert.Equal(302, (int)response.StatusCode);
            Assert.Null(requestId);
            Assert.StartsWith(RedirectUri + "?", response.Headers.Location!.ToString());
            var q = SignInClient.QueryOf(response);
            Assert.Equal("state-123", q["state"]);
            return q;
        }

        var challenge = SignInClient.NewPkce().Challenge;
        var noPkce = await Back(SignInClient.AuthorizeUrl(TestData.TenantA, RedirectUri, challenge: null));
        Assert.Equal("invalid_request", noPkce["error"]);
        Assert.StartsWith("AADSTS9002325: Proof Key for Code Exchange is required", noPkce["error_description"]);

        var token = await Back(SignInClient.AuthorizeUrl(TestData.TenantA, RedirectUri, challenge, responseType: "token"));
        Assert.Equal("unsupported_response_type", token["error"]);

        var fragment = await Back(SignInClient.AuthorizeUrl(TestData.TenantA, RedirectUri, challenge, responseMode: "fragment"));
        Assert.Equal("invalid_request", fragment["error"]);
        Assert.StartsWith("AADSTS", fragment["error_description"]);

        var silent = await Back(SignInClient.AuthorizeUrl(TestData.TenantA, RedirectUri, challenge, prompt: "none"));
        Assert.Equal("login_required", silent["error"]);
    }

    [Fact]
    public async Task The_form_refers_to_the_request_kept_by_the_server_and_echoes_nothing_unencoded()
    {
        var (page, html, _) = await _client.AuthorizeAsync(
            SignInClient.AuthorizeUrl(TestData.TenantA, RedirectUri, SignInClient.NewPkce().Challenge, loginHint: "\"><script>alert(1)</script>"));
        Assert.Equal(200, (int)page.StatusCode);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&quot;&gt;&lt;script&gt;", html);

        var (forged, forgedHtml) = await _client.PostLoginAsync(TestData.TenantA, "made-up-request-id", AdminA, GraphEmulatorOptions.DefaultSignInPassword);
        Assert.Null(forged.Headers.Location);
        Assert.Contains("AADSTS50089", forgedHtml);
    }

    [Fact]
    public async Task Directory_roles_posted_to_the_admin_endpoint_reach_the_id_token_and_stay_out_of_graphs_users()
    {
        var id = Guid.NewGuid().ToString();
        var domain = $"t{id[..8]}.test";
        JsonObject Tenant(string roleMember) => new()
        {
            ["id"] = id,
            ["displayName"] = "Posted",
            ["domains"] = new JsonArray(new JsonObject { ["name"] = domain, ["isDefault"] = true, ["isInitial"] = true }),
            ["consentedApps"] = new JsonArray(TestData.AppId),
            ["users"] = new JsonArray(new JsonObject { ["displayName"] = "Alex Admin", ["userPrincipalName"] = $"admin@{domain}", ["mailNickname"] = "admin" }),
            ["directoryRoles"] = new JsonArray(new JsonObject
            {
                ["roleTemplateId"] = GlobalAdministrator,
                ["members"] = new JsonArray(roleMember),
            }),
        };
        using var admin = Server.CreateHttpClient();
        var unknown = await admin.PostAsync("_emulator/tenants", BatchTests.Json(Tenant($"nobody@{domain}")));
        Assert.Equal(400, (int)unknown.StatusCode);
        Assert.Equal(201, (int)(await admin.PostAsync("_emulator/tenants", BatchTests.Json(Tenant($"admin@{domain}")))).StatusCode);

        var (query, verifier) = await _client.SignInAsync(id, $"admin@{domain}");
        var (_, body) = await _client.RedeemAsync(id, query["code"]!, verifier);
        Assert.Contains(GlobalAdministrator, Wids(new JsonWebToken((string)body["id_token"]!)));

        var graph = Server.CreateGraphClient(id, TestData.AppId, TestData.AppSecret);
        var json = await graph.Users.WithUrl($"{Server.GraphBaseUrl}/users?$select=id,displayName,userPrincipalName,accountEnabled,userType")
            .GetAsync();
        var user = Assert.Single(json!.Value!);
        Assert.Empty(user.AdditionalData);
        var dump = JsonNode.Parse(await admin.GetStringAsync($"_emulator/tenants/{id}"))!;
        Assert.DoesNotContain(GlobalAdministrator, dump["users"]!.ToJsonString());
        Assert.Contains(GlobalAdministrator, dump["directoryRoles"]!.ToJsonString());
    }

    private string AddTenantWithoutConsent(out string admin, out string member, Guid? memberRole = null)
    {
        var id = Guid.NewGuid().ToString();
        var domain = $"t{id[..8]}.test";
        admin = $"admin@{domain}";
        member = $"member@{domain}";
        var roles = new List<DirectoryRoleData> { new() { RoleTemplateId = DirectoryRoleIds.GlobalAdministrator, Members = [admin] } };
        if (memberRole is { } r)
        {
            roles.Add(new DirectoryRoleData { RoleTemplateId = r, Members = [member] });
        }

        Server.State.AddTenant(new TenantData
        {
            Id = id,
            DisplayName = "Sign-in customer",
            Domains = [new DomainData { Name = domain, IsDefault = true, IsInitial = true }],
            Users =
            [
                new JsonObject { ["displayName"] = "Alex Admin", ["userPrincipalName"] = admin, ["mailNickname"] = "admin" },
                new JsonObject { ["displayName"] = "Max Member", ["userPrincipalName"] = member, ["mailNickname"] = "member" },
            ],
            DirectoryRoles = roles,
        });
        return id;
    }

    private bool Consented(string tenantId)
    {
        lock (Server.State.Sync)
        {
            return Server.State.GetTenant(tenantId).ConsentedApps.Contains(TestData.AppId);
        }
    }

    private static List<string> Wids(JsonWebToken jwt) => [.. jwt.Claims.Where(c => c.Type == "wids").Select(c => c.Value)];

    private static void AssertEntraError(HttpResponseMessage response, JsonNode body, string error, int code)
    {
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(error, (string?)body["error"]);
        Assert.StartsWith($"AADSTS{code}:", (string?)body["error_description"]);
        Assert.Equal(code, (int)body["error_codes"]![0]!);
    }
}
