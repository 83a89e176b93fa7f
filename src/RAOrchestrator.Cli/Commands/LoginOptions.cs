using System.CommandLine;
using RAOrchestrator.Cli.Connection;

namespace RAOrchestrator.Cli.Commands;

/// <summary>The options of <c>raorch login</c>: a pasted token, or where and as which app a person signs in; the claim names.</summary>
public sealed class LoginOptions
{
    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"A partner token (a JWT) to save instead of signing in (automation); '-' reads it from stdin. Default: ${EnvironmentVariables.Token}.",
    };

    public Option<string?> Authority { get; } = new("--authority")
    {
        Description = $"Where you sign in: https://login.microsoftonline.com/<tenant> or the partner issuer. Default: ${EnvironmentVariables.Authority}, the profile's, then {UserSignIn.DefaultAuthority} (scripts/run.sh).",
    };

    public Option<string?> ClientId { get; } = new("--client-id")
    {
        Description = $"raorch's app (a public client) at the authority. Default: ${EnvironmentVariables.ClientId}, the profile's, then {UserSignIn.DefaultClientId} (the emulator's).",
    };

    public Option<string?> Scope { get; } = new("--scope")
    {
        Description = $"The API's scope. Default: ${EnvironmentVariables.Scope}, the profile's, then {UserSignIn.DefaultScope}.",
    };

    public Option<string?> AuthorityCertificateSha256 { get; } = new("--authority-cert-sha256")
    {
        Description = $"Trust exactly the authority's certificate with this SHA-256 thumbprint (a self-signed local issuer: .data/emulator/emulator.pem.sha256). Default: ${EnvironmentVariables.AuthorityCertificateSha256}, then the profile's.",
    };

    public Option<string?> PartnerClaim { get; } = new("--partner-claim")
    {
        Description = $"The token claim with the partner id, as the service's Auth:PartnerClaim. Default: ${EnvironmentVariables.PartnerClaim}, the profile's, then {ClaimNames.DefaultPartner}.",
    };

    public Option<string?> RolesClaim { get; } = new("--roles-claim")
    {
        Description = $"The token claim with the roles, as the service's Auth:RolesClaim. Default: ${EnvironmentVariables.RolesClaim}, the profile's, then {ClaimNames.DefaultRoles}.",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new[] { Token, Authority, ClientId, Scope, AuthorityCertificateSha256, PartnerClaim, RolesClaim })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The sign-in settings: options, then the environment, then the profile's, then the defaults.</summary>
    public UserSignIn SignIn(CommandContext context) => UserSignIn.Resolve(context.Host,
        context.Value(Authority), context.Value(ClientId), context.Value(Scope), context.Value(AuthorityCertificateSha256), context.Connection.SignIn);
}
