using System.CommandLine;
using System.Text.Json.Nodes;
using RAOrchestrator.Cli.Connection;
using RAOrchestrator.Cli.Errors;
using RAOrchestrator.Cli.Output;
using RAOrchestrator.Cli.Profiles;
using RAOrchestrator.Contracts.V1;
using Spectre.Console;

namespace RAOrchestrator.Cli.Commands;

/// <summary><c>raorch login</c> and <c>raorch logout</c>: the saved sign-in each later command uses.</summary>
public static class LoginCommands
{
    public static Command Login(CliHost host, GlobalOptions globals)
    {
        var token = new Option<string?>("--token")
        {
            Description = $"The partner token (a JWT); '-' reads it from stdin. Default: ${EnvironmentVariables.Token}.",
        };
        var command = new Command("login", "Checks a partner token against the service and saves it, with the address and certificate pin, as a profile.") { token };
        command.Set(host, globals, async (context, cancellationToken) =>
        {
            var value = context.Value(token) switch
            {
                "-" => (await host.In.ReadLineAsync(cancellationToken))?.Trim(),
                { Length: > 0 } given => given.Trim(),
                _ => host.GetVariable(EnvironmentVariables.Token),
            };
            if (string.IsNullOrWhiteSpace(value))
            {
                throw CliException.Usage("No token given.", $"Pass --token <partner token> (or '-' to read it from stdin), or set {EnvironmentVariables.Token}. Locally, scripts/partner-token.sh prints one.");
            }

            var claims = TokenClaims.TryRead(value);
            if (claims is { Expires: { } expires } && expires < DateTimeOffset.UtcNow)
            {
                throw new CliException(ExitCodes.Auth, $"The token expired at {expires:u}.", "Get a fresh partner token and sign in with it.");
            }

            // A call that needs a valid token and the read role proves the sign-in before anything is saved.
            using (var client = context.Connection.Create(value))
            {
                await client.Tenants.ListTenantsAsync(new ListTenantsRequest { PageSize = 1 }, cancellationToken: cancellationToken);
            }

            var store = new ProfileStore(host.ConfigDirectory);
            store.Save(context.Connection.ProfileName, new Profiles.Profile(context.Connection.Address, value, context.Connection.CertificateSha256));
            if (context.Output.Json)
            {
                context.Output.WriteJson(ProtoJson.Format(new JsonObject
                {
                    ["profile"] = context.Connection.ProfileName,
                    ["address"] = context.Connection.Address,
                    ["partner"] = claims?.Partner,
                    ["roles"] = new JsonArray((claims?.Roles ?? []).Select(r => (JsonNode?)r).ToArray()),
                    ["expireTime"] = claims?.Expires?.ToString("O"),
                    ["file"] = store.FilePath,
                }));
            }
            else
            {
                var who = claims?.Partner is { } partner ? $" as partner {partner}" : string.Empty;
                var roles = claims is { Roles.Count: > 0 } ? $" ({string.Join(", ", claims.Roles)})" : string.Empty;
                var until = claims?.Expires is { } exp ? $"; the token expires {exp:u}" : string.Empty;
                context.Output.Console.WriteLine($"Signed in to {context.Connection.Address}{who}{roles}{until}.");
                context.Output.Console.WriteLine($"Saved as profile '{context.Connection.ProfileName}' in {store.FilePath}.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Logout(CliHost host, GlobalOptions globals)
    {
        var command = new Command("logout", "Forgets the saved profile (its token).");
        command.Set(host, globals, (context, _) =>
        {
            var removed = new ProfileStore(host.ConfigDirectory).Remove(context.Connection.ProfileName);
            context.Output.Note(removed ? $"Signed out of profile '{context.Connection.ProfileName}'." : $"Profile '{context.Connection.ProfileName}' was not signed in.");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
