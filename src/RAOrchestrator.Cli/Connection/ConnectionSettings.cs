using RAOrchestrator.Cli.Errors;
using RAOrchestrator.Cli.Profiles;
using RAOrchestrator.Client;

namespace RAOrchestrator.Cli.Connection;

/// <summary>
/// Where to call and with which token, each setting from (first wins): the command line, the environment
/// (RAORCH_ADDRESS, RAORCH_TOKEN, RAORCH_CERT_SHA256), the profile <c>raorch login</c> saved, the default.
/// </summary>
public sealed record ConnectionSettings(string Address, string? Token, string? CertificateSha256, string ProfileName)
{
    /// <summary>The address scripts/run.sh serves the API on.</summary>
    public const string DefaultAddress = "http://127.0.0.1:5080";

    public static ConnectionSettings Resolve(CliHost host, string? address, string? certificateSha256, string? profileName)
    {
        var name = profileName ?? Env(host, EnvironmentVariables.Profile) ?? "default";
        var profile = new ProfileStore(host.ConfigDirectory).Find(name);
        return new ConnectionSettings(
            address ?? Env(host, EnvironmentVariables.Address) ?? profile?.Address ?? DefaultAddress,
            Env(host, EnvironmentVariables.Token) ?? profile?.Token,
            certificateSha256 ?? Env(host, EnvironmentVariables.CertificateSha256) ?? profile?.CertificateSha256,
            name);
    }

    /// <summary>A client for these settings; without a token it is an auth failure that says how to sign in.</summary>
    public RAOrchestratorClient Connect()
    {
        if (Token is null)
        {
            throw new CliException(ExitCodes.Auth, "Not signed in.",
                $"Run raorch login --token <partner token>{(ProfileName == "default" ? string.Empty : " --profile " + ProfileName)}, or set {EnvironmentVariables.Token}.");
        }

        if (TokenClaims.TryRead(Token) is { Expires: { } expires } && expires < DateTimeOffset.UtcNow)
        {
            throw new CliException(ExitCodes.Auth, $"The partner token expired at {expires:u}.",
                "Get a fresh partner token and run raorch login --token <token> again (locally: scripts/partner-token.sh).");
        }

        return Create(Token);
    }

    public RAOrchestratorClient Create(string token)
    {
        try
        {
            // A pin only means something for TLS; a profile's pin does not stop a plaintext --address for a local service.
            var pin = ClientAddress.Parse(Address).Secure ? CertificateSha256 : null;
            return RAOrchestratorClient.Create(Address, new StaticTokenProvider(token), pin);
        }
        catch (ArgumentException ex)
        {
            throw CliException.Usage(ex.Message);
        }
    }

    private static string? Env(CliHost host, string name) => host.GetVariable(name) is { Length: > 0 } value ? value : null;
}
