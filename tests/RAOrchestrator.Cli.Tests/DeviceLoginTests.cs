using System.Text.Json.Nodes;
using RAOrchestrator.Cli.Tests.Infrastructure;
using RAOrchestrator.GraphEmulator.DeviceCode;
using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.Cli.Tests;

/// <summary>
/// raorch login as a person: the device code flow against the emulator's partner issuer (the service's authority), the
/// person entering the code at the verification page, then commands that take their token from the token cache and
/// refresh it silently once it has expired.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class DeviceLoginTests
{
    private const string CliApp = "b4d6f8a0-3c5e-4f70-9b2d-4f6a8b0c2e35";
    private readonly CliFixture _fixture;
    private readonly string _partner = Tenants.NewPartner();
    private readonly string _person;

    public DeviceLoginTests(CliFixture fixture)
    {
        _fixture = fixture;
        var state = fixture.Emulator.State;
        lock (state.Sync)
        {
            if (!state.PartnerApps.Any(a => a.ClientId == CliApp))
            {
                state.PartnerApps.Add(new AppRegistrationData { ClientId = CliApp, DisplayName = "raorch (tests)", AllowPublicClientFlows = true });
            }
        }

        _person = $"sam-{Guid.NewGuid():N}@{_partner}.example";
        state.AddPartnerStaff(new PartnerStaffData
        {
            UserPrincipalName = _person,
            DisplayName = "Sam Support",
            PartnerId = _partner,
            AppRoles = new() { [CliApp] = ["RAOrchestrator.Write"] },
        });
    }

    private string[] Login => LoginAs(CliApp);

    private string[] LoginAs(string clientId) => ["login", "--authority", new Uri(_fixture.Emulator.BaseAddress, _fixture.Emulator.State.PartnerIssuer).ToString(),
        "--client-id", clientId, "--authority-cert-sha256", _fixture.Emulator.CertificateSha256Thumbprint];

    [Fact]
    public async Task A_person_signs_in_with_a_device_code_and_later_commands_use_the_cached_token_until_logout()
    {
        using var cli = new CliRunner(_fixture, token: null) { SignInAs = _person };

        var login = await cli.RunAsync(Login);

        Assert.True(login.ExitCode == ExitCodes.Ok, login.ToString());
        Assert.Contains($"To sign in, use a web browser to open the page {_fixture.Emulator.BaseAddress}devicelogin and enter the code ", login.Error, StringComparison.Ordinal);
        Assert.Contains($"Signed in to {_fixture.Address} as partner {_partner} (RAOrchestrator.Write); tokens are refreshed as they expire.", login.Out, StringComparison.Ordinal);
        var cache = Path.Combine(cli.ConfigDirectory, "msal-cache.bin");
        Assert.Contains($"Tokens are cached in {cache}, ", login.Out, StringComparison.Ordinal);
        var profile = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(cli.ConfigDirectory, "profiles.json")))!["profiles"]!["default"]!;
        Assert.Null(profile["token"]);
        Assert.Equal(CliApp, (string?)profile["signIn"]!["clientId"]);
        if (!OperatingSystem.IsWindows() && login.Out.Contains("in a plain file only you can read (0600)", StringComparison.Ordinal))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cache));
        }

        var listed = await cli.RunAsync("tenants", "list");
        Assert.True(listed.ExitCode == ExitCodes.Ok, listed.ToString());
        Assert.Contains("0 tenants", listed.Out, StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("logout")).ExitCode);
        var after = await cli.RunAsync("tenants", "list");
        Assert.True(after.ExitCode == ExitCodes.Auth, after.ToString());
    }

    [Fact]
    public async Task Without_its_tokens_in_the_cache_a_signed_in_profile_exits_3_and_asks_to_sign_in_again()
    {
        using var cli = new CliRunner(_fixture, token: null) { SignInAs = _person };
        var login = await cli.RunAsync(Login);
        Assert.True(login.ExitCode == ExitCodes.Ok, login.ToString());
        if (!login.Out.Contains("in a plain file", StringComparison.Ordinal))
        {
            // A keyring holds the tokens (a desktop), not the file; CI and servers have none, so there the file is the cache.
            return;
        }

        File.Delete(Path.Combine(cli.ConfigDirectory, "msal-cache.bin"));
        var listed = await cli.RunAsync("tenants", "list");

        Assert.True(listed.ExitCode == ExitCodes.Auth, listed.ToString());
        Assert.Contains("error: Not signed in: the token cache has no sign-in for this profile.", listed.Error, StringComparison.Ordinal);
        Assert.Contains("Run raorch login again.", listed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_access_token_that_expired_is_refreshed_silently_and_the_command_succeeds()
    {
        var options = _fixture.Emulator.Options;
        var lifetime = options.UserTokenLifetime;
        options.UserTokenLifetime = TimeSpan.FromSeconds(2);
        try
        {
            using var cli = new CliRunner(_fixture, token: null) { SignInAs = _person };
            var login = await cli.RunAsync(Login);
            Assert.True(login.ExitCode == ExitCodes.Ok, login.ToString());
            var refreshes = Refreshes();

            await Task.Delay(TimeSpan.FromSeconds(3));
            var listed = await cli.RunAsync("tenants", "list");

            Assert.True(listed.ExitCode == ExitCodes.Ok, listed.ToString());
            Assert.True(Refreshes() > refreshes, "the expired access token was not refreshed");
        }
        finally
        {
            options.UserTokenLifetime = lifetime;
        }
    }

    [Fact]
    public async Task A_sign_in_as_an_app_the_authority_does_not_know_exits_3_and_saves_nothing()
    {
        using var cli = new CliRunner(_fixture, token: null) { SignInAs = _person };

        var login = await cli.RunAsync(LoginAs(Guid.NewGuid().ToString()));

        Assert.True(login.ExitCode == ExitCodes.Auth, login.ToString());
        Assert.Contains("unauthorized_client", login.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(cli.ConfigDirectory, "profiles.json")));
    }

    private long Refreshes() =>
        _fixture.Emulator.State.Counters.ForTenant(_fixture.Emulator.State.PartnerIssuer).Endpoints.GetValueOrDefault(DeviceCodeGrant.RefreshEndpoint)?.Requests ?? 0;
}
