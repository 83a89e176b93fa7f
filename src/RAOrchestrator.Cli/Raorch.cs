using System.CommandLine;
using RAOrchestrator.Cli.Commands;

namespace RAOrchestrator.Cli;

/// <summary>The raorch command line: its commands, and the one entry point the program and the tests call.</summary>
public static class Raorch
{
    public static RootCommand Build(CliHost host)
    {
        var globals = new GlobalOptions();
        var root = new RootCommand("raorch: onboard and run Remote Assist tenants through the RAOrchestrator API. Exit codes: 0 ok, 1 failures in the result, 2 usage, 3 auth, 4 not found, 5 unavailable, 6 conflict, 7 quota, 8 service error, 130 interrupted.");
        globals.AddTo(root);
        root.Subcommands.Add(LoginCommands.Login(host, globals));
        root.Subcommands.Add(LoginCommands.Logout(host, globals));
        root.Subcommands.Add(TenantCommands.Create(host, globals));
        root.Subcommands.Add(OnboardCommand.Create(host, globals));
        root.Subcommands.Add(OperationCommands.Create(host, globals));
        root.Subcommands.Add(ServiceAccountCommands.Create(host, globals));
        root.Subcommands.Add(ServiceAccountCommands.Licenses(host, globals));
        root.Subcommands.Add(BarrierCommands.Create(host, globals));
        root.Subcommands.Add(SessionCommands.Create(host, globals));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken = default)
    {
        var parse = Build(host).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await host.Error.WriteLineAsync($"error: {error.Message}");
            }

            var names = new List<string>();
            for (var result = parse.CommandResult; result is not null && result.Command is not RootCommand; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            {
                names.Insert(0, result.Command.Name);
            }

            await host.Error.WriteLineAsync($"hint: {string.Join(' ', names.Prepend("raorch"))} --help shows the usage.");
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = host.Out,
            Error = host.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = host.HandlesInterrupts ? TimeSpan.FromSeconds(2) : null,
        };
        return await parse.InvokeAsync(invocation, cancellationToken);
    }
}
