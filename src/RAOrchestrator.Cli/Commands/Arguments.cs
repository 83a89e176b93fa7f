using System.CommandLine;

namespace RAOrchestrator.Cli.Commands;

/// <summary>The arguments several commands share.</summary>
public static class Arguments
{
    public static Argument<string> Tenant() => new("tenant") { Description = "The tenant: its Entra tenant id or tenants/<id>." };

    public static Option<string?> OutFile() => new("--out") { Description = "Write the script to this file instead of stdout." };

    public static Option<bool> NoWait() => new("--no-wait") { Description = "Print the operation and return at once instead of following it." };
}
