using RAOrchestrator.Cli.Tests.Infrastructure;

namespace RAOrchestrator.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class LoginTests(CliFixture fixture)
{
    private readonly string _partner = Tenants.NewPartner();

    [Fact]
    public async Task Login_checks_the_token_and_saves_a_profile_only_the_user_can_read_which_later_commands_use()
    {
        using var cli = new CliRunner(fixture, token: null);
        var address = cli[EnvironmentVariables.Address]!;
        cli[EnvironmentVariables.Address] = null;
        cli[EnvironmentVariables.CertificateSha256] = null;
        var token = fixture.Token(_partner);

        var login = await cli.RunAsync(new StringReader(token + "\n"), default, "login", "--token", "-", "--address", address, "--cert-sha256", fixture.CertificateSha256);

        Assert.True(login.ExitCode == ExitCodes.Ok, login.ToString());
        Assert.Contains($"Signed in to {address} as partner {_partner} (RAOrchestrator.Write)", login.Out, StringComparison.Ordinal);
        var file = Path.Combine(cli.ConfigDirectory, "profiles.json");
        Assert.Contains(token, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        // No address, pin or token given: all come from the profile.
        var listed = await cli.RunAsync("tenants", "list");
        Assert.True(listed.ExitCode == ExitCodes.Ok, listed.ToString());
        Assert.Contains("0 tenants", listed.Out, StringComparison.Ordinal);

        // RAORCH_TOKEN wins over the profile's token.
        cli[EnvironmentVariables.Token] = "not-a-token";
        Assert.Equal(ExitCodes.Auth, (await cli.RunAsync("tenants", "list")).ExitCode);
        cli[EnvironmentVariables.Token] = null;

        var logout = await cli.RunAsync("logout");
        Assert.Equal(ExitCodes.Ok, logout.ExitCode);
        var after = await cli.RunAsync("tenants", "list");
        Assert.True(after.ExitCode == ExitCodes.Auth, after.ToString());
        Assert.Contains("Not signed in", after.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_partner_and_roles_are_read_from_the_claims_the_options_name_and_the_names_are_saved_with_the_profile()
    {
        using var cli = new CliRunner(fixture, token: fixture.Token(_partner));

        var login = await cli.RunAsync("login", "--partner-claim", "azp", "--roles-claim", "ver");

        Assert.True(login.ExitCode == ExitCodes.Ok, login.ToString());
        Assert.Contains($"as partner {_partner}-local (2.0)", login.Out, StringComparison.Ordinal);
        var saved = await File.ReadAllTextAsync(Path.Combine(cli.ConfigDirectory, "profiles.json"));
        Assert.Contains("\"partnerClaim\": \"azp\"", saved, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_the_service_refuses_is_not_saved()
    {
        using var cli = new CliRunner(fixture, token: null);

        var login = await cli.RunAsync("login", "--token", "eyJhbGciOiJub25lIn0.eyJwYXJ0bmVyX2lkIjoieCJ9.");

        Assert.True(login.ExitCode == ExitCodes.Auth, login.ToString());
        Assert.False(File.Exists(Path.Combine(cli.ConfigDirectory, "profiles.json")));
    }

    [Fact]
    public async Task Login_with_an_empty_token_exits_2_and_says_where_to_get_one()
    {
        using var cli = new CliRunner(fixture, token: null);

        var login = await cli.RunAsync(new StringReader(string.Empty), default, "login", "--token", "-");

        Assert.True(login.ExitCode == ExitCodes.Usage, login.ToString());
        Assert.Contains("scripts/partner-token.sh", login.Error, StringComparison.Ordinal);
    }
}
