using RAOrchestrator.Cli.Connection;
using RAOrchestrator.Cli.Errors;
using RAOrchestrator.Cli.Profiles;

namespace RAOrchestrator.Cli.Tests;

/// <summary>Where each connection setting comes from: option, then environment, then the saved profile, then the default.</summary>
public sealed class ConnectionSettingsTests : IDisposable
{
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("raorch-settings-").FullName;
    private readonly Dictionary<string, string?> _environment = [];

    private CliHost Host => new() { Out = TextWriter.Null, Error = TextWriter.Null, GetVariable = name => _environment.GetValueOrDefault(name) };

    public ConnectionSettingsTests() => _environment[EnvironmentVariables.ConfigDirectory] = _dir;

    [Fact]
    public void An_option_wins_over_the_environment_which_wins_over_the_profile()
    {
        new ProfileStore(_dir).Save("default", new Profile("https://profile.example:443", "profile-token", "AB"));
        _environment[EnvironmentVariables.Address] = "https://env.example:443";

        var fromOption = ConnectionSettings.Resolve(Host, "https://option.example:443", null, null);
        var fromEnvironment = ConnectionSettings.Resolve(Host, null, null, null);
        _environment[EnvironmentVariables.Address] = null;
        var fromProfile = ConnectionSettings.Resolve(Host, null, null, null);

        Assert.Equal("https://option.example:443", fromOption.Address);
        Assert.Equal("https://env.example:443", fromEnvironment.Address);
        Assert.Equal(("https://profile.example:443", "profile-token", "AB"), (fromProfile.Address, fromProfile.Token, fromProfile.CertificateSha256));
    }

    [Fact]
    public void Without_any_setting_the_address_is_the_local_service_and_there_is_no_token()
    {
        var settings = ConnectionSettings.Resolve(Host, null, null, null);

        Assert.Equal(("http://127.0.0.1:5080", null, "default"), (settings.Address, settings.Token, settings.ProfileName));
        var ex = Assert.Throws<CliException>(() => settings.Connect());
        Assert.Equal(ExitCodes.Auth, ex.ExitCode);
    }

    [Fact]
    public void Profiles_are_kept_apart_by_name()
    {
        new ProfileStore(_dir).Save("prod", new Profile("api.msp.example:443", "prod-token", null));
        _environment[EnvironmentVariables.Profile] = "prod";

        var settings = ConnectionSettings.Resolve(Host, null, null, null);

        Assert.Equal(("api.msp.example:443", "prod-token"), (settings.Address, settings.Token));
        Assert.Null(ConnectionSettings.Resolve(Host, null, null, "default").Token);
    }

    [Fact]
    public void Claim_names_come_from_the_option_then_the_environment_then_the_profile_with_the_services_defaults()
    {
        Assert.Equal(new ClaimNames("partner_id", "roles"), ConnectionSettings.Resolve(Host, null, null, null).Claims);

        new ProfileStore(_dir).Save("default", new Profile("https://profile.example:443", "t", null) { Claims = new ClaimNames("msp", "app_roles") });
        Assert.Equal(new ClaimNames("msp", "app_roles"), ConnectionSettings.Resolve(Host, null, null, null).Claims);

        _environment[EnvironmentVariables.PartnerClaim] = "env_partner";
        Assert.Equal(new ClaimNames("env_partner", "app_roles"), ConnectionSettings.Resolve(Host, null, null, null).Claims);
        Assert.Equal(new ClaimNames("opt_partner", "opt_roles"), ConnectionSettings.Resolve(Host, null, null, null, "opt_partner", "opt_roles").Claims);
    }

    [Fact]
    public void A_token_is_read_with_the_claim_names_given()
    {
        static string Part(string json) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = $"{Part("{\"alg\":\"none\"}")}.{Part("{\"partner_id\":\"default-name\",\"msp\":\"contoso-msp\",\"app_roles\":[\"RAOrchestrator.Read\"],\"roles\":[\"Other\"]}")}.";

        var claims = TokenClaims.TryRead(token, new ClaimNames("msp", "app_roles"));

        Assert.Equal(("contoso-msp", "RAOrchestrator.Read"), (claims!.Partner, Assert.Single(claims.Roles)));
    }

    public void Dispose() => System.IO.Directory.Delete(_dir, recursive: true);
}
