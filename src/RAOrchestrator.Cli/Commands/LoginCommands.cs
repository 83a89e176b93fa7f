using System.CommandLine;
using System.Text.Json.Nodes;
using RAOrchestrator.Cli.Connection;
using RAOrchestrator.Cli.Errors;
using RAOrchestrator.Cli.Output;
using RAOrchestrator.Cli.Profiles;
using RAOrchestrator.Client;
using RAOrchestrator.Contracts.V1;
using Spectre.Console;

namespace RAOrchestrator.Cli.Commands;

/// <summary>
/// <c>raorch login</c> and <c>raorch logout</c>: the saved sign-in each later command uses. A person signs in with the
/// device code flow; automation pastes a partner token (<c>--token</c>, or RAORCH_TOKEN).
/// </summary>
public static class LoginCommands
{
    public static Command Login(CliHost host, GlobalOptions globals)
    {
        var options = new LoginOptions();
        var command = new Command("login",
            "Signs you in (device code: open the page shown and enter the code) or checks a pasted partner token, and saves the sign-in with the address and certificate pin as a profile.");
        options.AddTo(command);
        command.Set(host, globals, async (context, cancellationToken) =>
        {
            var claimNames = ClaimNames.Resolve(host, context.Value(options.PartnerClaim), context.Value(options.RolesClaim), context.Connection.Claims);
            var token = context.Value(options.Token) switch
            {
                "-" => (await host.In.ReadLineAsync(cancellationToken))?.Trim() ?? string.Empty,
                { Length: > 0 } given => given.Trim(),
                _ => host.GetVariable(EnvironmentVariables.Token),
            };
            if (token is null)
            {
                var signIn = options.SignIn(context);
                return await DeviceLogin.RunAsync(context, signIn, claimNames, cancellationToken);
            }

            if (string.IsNullOrWhiteSpace(token))
            {
                throw CliException.Usage("No token given.", $"Pass --token <partner token> (or '-' to read it from stdin), or set {EnvironmentVariables.Token}; or leave both out to sign in as yourself. Locally, scripts/partner-token.sh prints one.");
            }

            var claims = TokenClaims.TryRead(token, claimNames);
            if (claims is { Expires: { } expires } && expires < DateTimeOffset.UtcNow)
            {
                throw new CliException(ExitCodes.Auth, $"The token expired at {expires:u}.", "Get a fresh partner token and sign in with it.");
            }

            await CheckAsync(context, new StaticTokenProvider(token), cancellationToken);
            var profile = new Profiles.Profile(context.Connection.Address, token, context.Connection.CertificateSha256) { Claims = claimNames };
            Report(context, Save(host, context, profile), claims, null);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Logout(CliHost host, GlobalOptions globals)
    {
        var command = new Command("logout", "Forgets the saved profile (its token, or your sign-in and its cached tokens).");
        command.Set(host, globals, async (context, _) =>
        {
            var store = new ProfileStore(host.ConfigDirectory);
            if (store.Find(context.Connection.ProfileName)?.SignIn is { Account: not null } signIn)
            {
                await (await UserTokens.OpenAsync(signIn, host.ConfigDirectory)).SignOutAsync();
            }

            var removed = store.Remove(context.Connection.ProfileName);
            context.Output.Note(removed ? $"Signed out of profile '{context.Connection.ProfileName}'." : $"Profile '{context.Connection.ProfileName}' was not signed in.");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A call that needs a valid token and the read role proves the sign-in before anything is saved.</summary>
    internal static async Task CheckAsync(CommandContext context, ITokenProvider tokens, CancellationToken cancellationToken)
    {
        using var client = context.Connection.Create(tokens);
        await client.Tenants.ListTenantsAsync(new ListTenantsRequest { PageSize = 1 }, cancellationToken: cancellationToken);
    }

    internal static ProfileStore Save(CliHost host, CommandContext context, Profiles.Profile profile)
    {
        var store = new ProfileStore(host.ConfigDirectory);
        store.Save(context.Connection.ProfileName, profile);
        return store;
    }

    /// <summary>Who is signed in, where the profile (and the token cache) are.</summary>
    internal static void Report(CommandContext context, ProfileStore store, TokenClaims? claims, TokenCache? cache)
    {
        if (context.Output.Json)
        {
            var json = new JsonObject
            {
                ["profile"] = context.Connection.ProfileName,
                ["address"] = context.Connection.Address,
                ["partner"] = claims?.Partner,
                ["roles"] = new JsonArray((claims?.Roles ?? []).Select(r => (JsonNode?)r).ToArray()),
                ["expireTime"] = claims?.Expires?.ToString("O"),
                ["file"] = store.FilePath,
            };
            if (cache is not null)
            {
                json["tokenCache"] = new JsonObject { ["file"] = cache.FilePath, ["encrypted"] = cache.Encrypted, ["protection"] = cache.Protection };
            }

            context.Output.WriteJson(ProtoJson.Format(json));
            return;
        }

        var who = claims?.Partner is { } partner ? $" as partner {partner}" : string.Empty;
        var roles = claims is { Roles.Count: > 0 } ? $" ({string.Join(", ", claims.Roles)})" : string.Empty;
        var until = claims?.Expires is { } exp ? cache is null ? $"; the token expires {exp:u}" : "; tokens are refreshed as they expire" : string.Empty;
        context.Output.Console.WriteLine($"Signed in to {context.Connection.Address}{who}{roles}{until}.");
        context.Output.Console.WriteLine($"Saved as profile '{context.Connection.ProfileName}' in {store.FilePath}.");
        if (cache is not null)
        {
            context.Output.Console.WriteLine($"Tokens are cached in {cache.FilePath}, {cache.Protection}.");
        }
    }
}
