using System.Text.Json.Nodes;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.GraphEmulator.Tokens;

namespace RAOrchestrator.GraphEmulator.Tests;

/// <summary>The test data with Temporary Access Pass enabled in tenant A, a tenant whose app lacks the permission, and a clock the tests move.</summary>
public sealed class TemporaryAccessPassFixture : IAsyncLifetime
{
    public const string TenantNoTapPermission = "44444444-4444-4444-8444-444444444444";
    public const string UserWithoutPermission = "ursula@notap.onmicrosoft.com";
    public const string TenantGroupTargeted = "55555555-5555-4555-8555-555555555555";
    public const string Member = "mia@grouptap.onmicrosoft.com";
    public const string NonMember = "nils@grouptap.onmicrosoft.com";

    public GraphEmulatorServer Server { get; private set; } = null!;
    internal ManualTime Time { get; } = new();

    public async Task InitializeAsync()
    {
        var data = TestData.Build();
        data.Apps[0].RedirectUris = [SignInTests.RegisteredLoopback];
        var enabled = new TemporaryAccessPassPolicyData { State = "enabled", MinimumLifetimeInMinutes = 60, MaximumLifetimeInMinutes = 480, DefaultLifetimeInMinutes = 60 };
        data.Tenants.Single(t => t.Id == TestData.TenantA).TemporaryAccessPassPolicy = enabled;
        data.Tenants.Add(new TenantData
        {
            Id = TenantNoTapPermission,
            DisplayName = "No TAP Permission AG",
            Domains = [new DomainData { Name = "notap.onmicrosoft.com", IsDefault = true, IsInitial = true }],
            ConsentedApps = [TestData.AppId],
            TemporaryAccessPassPolicy = enabled.Clone(),
            AppPermissions = new() { [TestData.AppId] = [.. TokenIssuer.GraphRoles.Where(r => !r.StartsWith("UserAuthMethod", StringComparison.Ordinal))] },
            Users = [new JsonObject { ["displayName"] = "Ursula", ["userPrincipalName"] = UserWithoutPermission, ["mailNickname"] = "ursula" }],
        });
        var groupTargeted = enabled.Clone();
        groupTargeted.IncludeTargets = ["0c000000-0000-4000-8000-000000000001"];
        data.Tenants.Add(new TenantData
        {
            Id = TenantGroupTargeted,
            DisplayName = "Group Targeted KG",
            Domains = [new DomainData { Name = "grouptap.onmicrosoft.com", IsDefault = true, IsInitial = true }],
            ConsentedApps = [TestData.AppId],
            TemporaryAccessPassPolicy = groupTargeted,
            Users =
            [
                new JsonObject { ["displayName"] = "Mia", ["userPrincipalName"] = Member, ["mailNickname"] = "mia" },
                new JsonObject { ["displayName"] = "Nils", ["userPrincipalName"] = NonMember, ["mailNickname"] = "nils" },
            ],
            Groups = [new GroupData { Id = groupTargeted.IncludeTargets[0], DisplayName = "Vendors", Members = [Member] }],
        });
        Server = await GraphEmulatorServer.StartAsync(new GraphEmulatorOptions { Data = data, TimeProvider = Time });
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class TemporaryAccessPassTests(TemporaryAccessPassFixture fixture) : IClassFixture<TemporaryAccessPassFixture>, IDisposable
{
    private readonly SignInClient _signIn = new(fixture.Server);

    public void Dispose() => _signIn.Dispose();

    /// <summary>A new client (and so a token minted at the emulator's current time) for the tenant.</summary>
    private GraphServiceClient Client(string tenant = TestData.TenantA) => fixture.Server.CreateGraphClient(tenant, TestData.AppId, TestData.AppSecret);

    private static async Task<string> NewUserAsync(GraphServiceClient client, string nickname) =>
        (await client.Users.PostAsync(DirectoryTests.NewUser(nickname)))!.Id!;

    private static Task<TemporaryAccessPassAuthenticationMethod?> IssueAsync(GraphServiceClient client, string userId, int? lifetime = null, bool? once = null) =>
        client.Users[userId].Authentication.TemporaryAccessPassMethods.PostAsync(new TemporaryAccessPassAuthenticationMethod { LifetimeInMinutes = lifetime, IsUsableOnce = once });

    /// <summary>Signs in at the emulator's sign-in page with the pass as the password: true when it redirects back with a code.</summary>
    private async Task<bool> SignsInAsync(string upn, string password)
    {
        var (_, challenge) = SignInClient.NewPkce();
        var (_, _, requestId) = await _signIn.AuthorizeAsync(SignInClient.AuthorizeUrl(TestData.TenantA, SignInTests.RedirectUri, challenge, loginHint: upn));
        var (posted, _) = await _signIn.PostLoginAsync(TestData.TenantA, requestId!, upn, password);
        return (int)posted.StatusCode == 302 && SignInClient.QueryOf(posted)["code"] is not null;
    }

    [Fact]
    public async Task The_policy_has_Graphs_shape_and_a_tenant_without_one_has_Entras_disabled_default()
    {
        var enabled = await Client().Policies.AuthenticationMethodsPolicy.AuthenticationMethodConfigurations["TemporaryAccessPass"].GetAsync();
        var tap = Assert.IsType<TemporaryAccessPassAuthenticationMethodConfiguration>(enabled);
        Assert.Equal(AuthenticationMethodState.Enabled, tap.State);
        Assert.Equal((60, 60, 480, false, 8), (tap.DefaultLifetimeInMinutes, tap.MinimumLifetimeInMinutes, tap.MaximumLifetimeInMinutes, tap.IsUsableOnce, tap.DefaultLength));
        Assert.Equal("all_users", Assert.Single(tap.IncludeTargets!).Id);

        var other = await Client(TestData.TenantNoPolicy).Policies.AuthenticationMethodsPolicy.AuthenticationMethodConfigurations["TemporaryAccessPass"].GetAsync();
        Assert.Equal(AuthenticationMethodState.Disabled, Assert.IsType<TemporaryAccessPassAuthenticationMethodConfiguration>(other).State);
    }

    [Fact]
    public async Task The_pass_is_returned_by_the_create_only()
    {
        var client = Client();
        var user = await NewUserAsync(client, "tap-shape");

        var created = await IssueAsync(client, user, lifetime: 120, once: true);

        Assert.Equal(8, created!.TemporaryAccessPass!.Length);
        Assert.Equal((120, true, true, "EnabledByPolicy"), (created.LifetimeInMinutes, created.IsUsableOnce, created.IsUsable, created.MethodUsabilityReason));
        var listed = Assert.Single((await client.Users[user].Authentication.TemporaryAccessPassMethods.GetAsync())!.Value!);
        Assert.Equal(created.Id, listed.Id);
        Assert.Null(listed.TemporaryAccessPass);
        Assert.Null((await client.Users[user].Authentication.TemporaryAccessPassMethods[created.Id].GetAsync())!.TemporaryAccessPass);
    }

    [Fact]
    public async Task A_new_pass_replaces_the_old_one()
    {
        var client = Client();
        var user = await NewUserAsync(client, "tap-replace");
        var first = await IssueAsync(client, user);

        var second = await IssueAsync(client, user);

        Assert.Equal(second!.Id, Assert.Single((await client.Users[user].Authentication.TemporaryAccessPassMethods.GetAsync())!.Value!).Id);
        Assert.False(await SignsInAsync($"tap-replace@{TestData.DomainA}", first!.TemporaryAccessPass!));
        Assert.True(await SignsInAsync($"tap-replace@{TestData.DomainA}", second.TemporaryAccessPass!));
    }

    [Theory]
    [InlineData(59)]
    [InlineData(481)]
    public async Task A_lifetime_outside_the_policys_bounds_is_refused(int minutes)
    {
        var client = Client();
        var user = await NewUserAsync(client, $"tap-bounds-{minutes}");

        var e = await Assert.ThrowsAsync<ODataError>(() => IssueAsync(client, user, lifetime: minutes));

        Assert.Equal((400, "badRequest"), (e.ResponseStatusCode, e.Error?.Code));
        Assert.Contains("between 60 and 480", e.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_whose_policy_is_disabled_refuses_passes()
    {
        var e = await Assert.ThrowsAsync<ODataError>(() => IssueAsync(Client(TestData.TenantNoPolicy), "paul@nopolicy.onmicrosoft.com"));

        Assert.Equal((400, "badRequest"), (e.ResponseStatusCode, e.Error?.Code));
        Assert.Contains("not enabled", e.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_targeting_a_group_gives_passes_to_its_members_only()
    {
        var client = Client(TemporaryAccessPassFixture.TenantGroupTargeted);

        Assert.NotNull((await IssueAsync(client, TemporaryAccessPassFixture.Member))!.TemporaryAccessPass);
        var e = await Assert.ThrowsAsync<ODataError>(() => IssueAsync(client, TemporaryAccessPassFixture.NonMember));
        Assert.Equal((400, "badRequest"), (e.ResponseStatusCode, e.Error?.Code));
    }

    [Fact]
    public async Task An_app_without_the_TAP_permission_is_denied()
    {
        var client = Client(TemporaryAccessPassFixture.TenantNoTapPermission);
        const string user = TemporaryAccessPassFixture.UserWithoutPermission;

        var create = await Assert.ThrowsAsync<ODataError>(() => IssueAsync(client, user));
        var list = await Assert.ThrowsAsync<ODataError>(() => client.Users[user].Authentication.TemporaryAccessPassMethods.GetAsync());

        Assert.Equal((403, "accessDenied"), (create.ResponseStatusCode, create.Error?.Code));
        Assert.Equal(403, list.ResponseStatusCode);
        Assert.NotNull(await client.Policies.AuthenticationMethodsPolicy.AuthenticationMethodConfigurations["TemporaryAccessPass"].GetAsync());
    }

    [Fact]
    public async Task A_deleted_pass_no_longer_signs_in_and_a_second_delete_is_not_found()
    {
        var client = Client();
        var user = await NewUserAsync(client, "tap-delete");
        var pass = await IssueAsync(client, user);

        await client.Users[user].Authentication.TemporaryAccessPassMethods[pass!.Id].DeleteAsync();

        Assert.Empty((await client.Users[user].Authentication.TemporaryAccessPassMethods.GetAsync())!.Value!);
        Assert.False(await SignsInAsync($"tap-delete@{TestData.DomainA}", pass.TemporaryAccessPass!));
        var again = await Assert.ThrowsAsync<ODataError>(() => client.Users[user].Authentication.TemporaryAccessPassMethods[pass.Id].DeleteAsync());
        Assert.Equal(404, again.ResponseStatusCode);
    }

    [Fact]
    public async Task Signing_in_with_the_pass_issues_that_users_tokens()
    {
        var client = Client();
        var user = await NewUserAsync(client, "tap-tokens");
        var pass = await IssueAsync(client, user, once: true);
        var upn = $"tap-tokens@{TestData.DomainA}";
        var (verifier, challenge) = SignInClient.NewPkce();
        var (_, _, requestId) = await _signIn.AuthorizeAsync(SignInClient.AuthorizeUrl(TestData.TenantA, SignInTests.RedirectUri, challenge, loginHint: upn));

        var (posted, _) = await _signIn.PostLoginAsync(TestData.TenantA, requestId!, upn, pass!.TemporaryAccessPass!);
        var (redeemed, body) = await _signIn.RedeemAsync(TestData.TenantA, SignInClient.QueryOf(posted)["code"]!, verifier);

        Assert.Equal(200, (int)redeemed.StatusCode);
        var idToken = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken((string)body["id_token"]!);
        Assert.Equal((user, TestData.TenantA), (idToken.GetClaim("oid").Value, idToken.GetClaim("tid").Value));
    }

    [Fact]
    public async Task A_one_time_pass_signs_in_once_and_a_reusable_pass_again()
    {
        var client = Client();
        var once = await IssueAsync(client, await NewUserAsync(client, "tap-once"), once: true);
        var reusable = await IssueAsync(client, await NewUserAsync(client, "tap-reuse"), once: false);

        Assert.True(await SignsInAsync($"tap-once@{TestData.DomainA}", once!.TemporaryAccessPass!));
        Assert.False(await SignsInAsync($"tap-once@{TestData.DomainA}", once.TemporaryAccessPass!));
        Assert.True(await SignsInAsync($"tap-reuse@{TestData.DomainA}", reusable!.TemporaryAccessPass!));
        Assert.True(await SignsInAsync($"tap-reuse@{TestData.DomainA}", reusable.TemporaryAccessPass!));
        Assert.False(await SignsInAsync($"tap-reuse@{TestData.DomainA}", "not-the-pass"));
    }
}

/// <summary>Expiry moves the emulator's clock, so it has an emulator of its own.</summary>
public sealed class TemporaryAccessPassExpiryTests
{
    [Fact]
    public async Task A_pass_past_its_lifetime_no_longer_signs_in_and_reads_as_expired()
    {
        var fixture = new TemporaryAccessPassFixture();
        await fixture.InitializeAsync();
        try
        {
            var client = fixture.Server.CreateGraphClient(TestData.TenantA, TestData.AppId, TestData.AppSecret);
            var user = (await client.Users.PostAsync(DirectoryTests.NewUser("tap-expiry")))!.Id!;
            var pass = await client.Users[user].Authentication.TemporaryAccessPassMethods.PostAsync(new TemporaryAccessPassAuthenticationMethod { LifetimeInMinutes = 60 });

            fixture.Time.Advance(TimeSpan.FromMinutes(61));

            using var signIn = new SignInClient(fixture.Server);
            var (_, challenge) = SignInClient.NewPkce();
            var upn = $"tap-expiry@{TestData.DomainA}";
            var (_, _, requestId) = await signIn.AuthorizeAsync(SignInClient.AuthorizeUrl(TestData.TenantA, SignInTests.RedirectUri, challenge, loginHint: upn));
            var (posted, html) = await signIn.PostLoginAsync(TestData.TenantA, requestId!, upn, pass!.TemporaryAccessPass!);
            Assert.Equal(200, (int)posted.StatusCode);
            Assert.Contains("AADSTS50126", html, StringComparison.Ordinal);

            var fresh = fixture.Server.CreateGraphClient(TestData.TenantA, TestData.AppId, TestData.AppSecret);
            var listed = Assert.Single((await fresh.Users[user].Authentication.TemporaryAccessPassMethods.GetAsync())!.Value!);
            Assert.Equal((false, "Expired"), (listed.IsUsable, listed.MethodUsabilityReason));
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }
}
