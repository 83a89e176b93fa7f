using RAOrchestrator.Cli.Errors;
using RAOrchestrator.Cli.Profiles;
using RAOrchestrator.Client;

namespace RAOrchestrator.Cli.Connection;

/// <summary>
/// Where to call and with which token, each setting from (first wins): the command line, the environment
/// (RAORCH_ADDRESS, RAORCH_TOKEN, RAORCH_CERT_SHA256), the profile <c>raorch login</c> saved, the default. The token is
/// RAORCH_TOKEN, else the profile's pasted token, else the profile's sign-in (a token from the token cache per call).
/// </summary>
public sealed record ConnectionSettings(string Address, string? Token, string? CertificateSha256, string ProfileName)
{
    /// <summary>The address scripts/run.sh serves the API on.</summary>
    public const string DefaultAddress = "http://127.0.0.1:5080";

    /// <summary>The names of the partner and roles claims (the service's Auth:PartnerClaim and Auth:RolesClaim).</summary>
    public ClaimNames Claims { get; init; } = ClaimNames.Default;

    /// <summary>The person's sign-in the profile saved (device code flow), used when there is no token.</summary>
    public UserSignIn? SignIn { get; init; }

    /// <summary>The config folder, where the token cache lives.</summary>
    public string ConfigDirectory { get; init; } = string.Empty;

    public static ConnectionSettings Resolve(CliHost host, string? address, string? certificateSha256, string? profileName,
        string? partnerClaim = null, string? rolesClaim = null)
    {
        var name = profileName ?? Env(host, EnvironmentVariables.Profile) ?? "default";
        var profile = new ProfileStore(host.ConfigDirectory).Find(name);
        return new ConnectionSettings(
            address ?? Env(host, EnvironmentVariables.Address) ?? profile?.Address ?? DefaultAddress,
            Env(host, EnvironmentVariables.Token) ?? profile?.Token,
            certificateSha256 ?? Env(host, EnvironmentVariables.CertificateSha256) ?? profile?.CertificateSha256,
            name)
        {
            Claims = ClaimNames.Resolve(host, partnerClaim, rolesClaim, profile?.Claims),
            SignIn = profile?.SignIn,
            ConfigDirectory = host.ConfigDirectory,
        };
    }

    /// <summary>A client for these settings; without a token or a sign-in it is an auth failure that says how to sign in.</summary>
    public RAOrchestratorClient Connect()
    {
        if (Token is null && SignIn is { Account: not null } signIn)
        {
            // Opened on the first call; every call then asks the cache, which refreshes an expired token.
            var tokens = new Lazy<Task<UserTokens>>(() => UserTokens.OpenAsync(signIn, ConfigDirectory));
            return Create(new DelegateTokenProvider(async cancellationToken => await (await tokens.Value).GetTokenAsync(cancellationToken)));
        }

        if (Token is null)
        {
            throw new CliException(ExitCodes.Auth, "Not signed in.",
                $"Run raorch login{ProfileOption}, or raorch login --token <partner token>{ProfileOption} for automation, or set {EnvironmentVariables.Token}.");
        }

        if (TokenClaims.TryRead(Token, Claims) is { Expires: { } expires } && expires < DateTimeOffset.UtcNow)
        {
            throw new CliException(ExitCodes.Auth, $"The partner token expired at {expires:u}.",
                "Get a fresh partner token and run raorch login --token <token> again (locally: scripts/partner-token.sh), or sign in with raorch login.");
        }

        return Create(Token);
    }

    public RAOrchestratorClient Create(string token) => Create(new StaticTokenProvider(token));

    public RAOrchestratorClient Create(ITokenProvider tokens)
    {
        try
        {
            // A pin only means something for TLS; a profile's pin does not stop a plaintext --address for a local service.
            var pin = ClientAddress.Parse(Address).Secure ? CertificateSha256 : null;
            return RAOrchestratorClient.Create(Address, tokens, pin);
        }
        catch (ArgumentException ex)
        {
            throw CliException.Usage(ex.Message);
        }
    }

    private string ProfileOption => ProfileName == "default" ? string.Empty : " --profile " + ProfileName;

    private static string? Env(CliHost host, string name) => host.GetVariable(name) is { Length: > 0 } value ? value : null;
}
