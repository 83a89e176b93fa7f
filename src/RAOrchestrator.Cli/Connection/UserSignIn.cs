using System.Text.Json.Serialization;

namespace RAOrchestrator.Cli.Connection;

/// <summary>
/// Where a person signs in with the device code flow and for what: the authority (an Entra tenant, or the partner issuer
/// of the local emulator), the public client's id, the API's scope, an optional pin of the authority's TLS certificate,
/// and, once signed in, the account whose tokens the cache holds.
/// </summary>
public sealed record UserSignIn(
    [property: JsonPropertyName("authority")] string Authority,
    [property: JsonPropertyName("clientId")] string ClientId,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("authorityCertificateSha256")] string? AuthorityCertificateSha256,
    [property: JsonPropertyName("account")] string? Account = null)
{
    /// <summary>The partner issuer scripts/run.sh starts (the emulator).</summary>
    public const string DefaultAuthority = "https://127.0.0.1:5443/raorchestrator-partners";

    /// <summary>raorch's public client in the emulator's demo data.</summary>
    public const string DefaultClientId = "a3c5e7f9-2b4d-4e6f-8a1c-3e5f7a9b1d24";

    /// <summary>The RAOrchestrator API's permissions (the service's Auth:Audience, <c>/.default</c>).</summary>
    public const string DefaultScope = "api://raorchestrator/.default";

    /// <summary>Each setting from (first wins) the option, the environment, the saved sign-in, the default.</summary>
    public static UserSignIn Resolve(CliHost host, string? authority, string? clientId, string? scope, string? authorityPin, UserSignIn? saved) => new(
        Setting.First(authority, host.GetVariable(EnvironmentVariables.Authority), saved?.Authority) ?? DefaultAuthority,
        Setting.First(clientId, host.GetVariable(EnvironmentVariables.ClientId), saved?.ClientId) ?? DefaultClientId,
        Setting.First(scope, host.GetVariable(EnvironmentVariables.Scope), saved?.Scope) ?? DefaultScope,
        Setting.First(authorityPin, host.GetVariable(EnvironmentVariables.AuthorityCertificateSha256), saved?.AuthorityCertificateSha256));

    public string[] Scopes => Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
