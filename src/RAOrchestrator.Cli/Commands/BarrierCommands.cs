using System.CommandLine;
using RAOrchestrator.Cli.Barriers;
using RAOrchestrator.Cli.Views;
using RAOrchestrator.Client;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Cli.Commands;

/// <summary><c>raorch barriers segments|policies|apply|export</c>: a tenant's information barriers.</summary>
public static class BarrierCommands
{
    public static Command Create(CliHost host, GlobalOptions globals)
    {
        var command = new Command("barriers", "Information barriers of a tenant: segments, policies, applying them, the compliance PowerShell.");
        command.Subcommands.Add(Segments(host, globals));
        command.Subcommands.Add(Policies(host, globals));
        command.Subcommands.Add(Apply(host, globals));
        command.Subcommands.Add(Export(host, globals));
        return command;
    }

    private static Command Segments(CliHost host, GlobalOptions globals)
    {
        var tenant = Arguments.Tenant();
        var command = new Command("segments", "Lists a tenant's segments.") { tenant };
        command.Set(host, globals, (context, cancellationToken) =>
            context.ShowAllAsync("segments", context.Client.Barriers.ListAllSegmentsAsync(Names.Tenant(context.Value(tenant)), cancellationToken), BarrierViews.Segments));
        return command;
    }

    private static Command Policies(CliHost host, GlobalOptions globals)
    {
        var tenant = Arguments.Tenant();
        var command = new Command("policies", "Lists a tenant's barrier policies.") { tenant };
        command.Set(host, globals, (context, cancellationToken) =>
            context.ShowAllAsync("barrierPolicies", context.Client.Barriers.ListAllBarrierPoliciesAsync(Names.Tenant(context.Value(tenant)), cancellationToken), BarrierViews.Policies));
        return command;
    }

    private static Command Apply(CliHost host, GlobalOptions globals)
    {
        var tenant = Arguments.Tenant();
        var file = new Option<string?>("--file", "-f") { Description = "A YAML file of segments and policies to create or update first (see the README)." };
        var noWait = Arguments.NoWait();
        var command = new Command("apply", "Creates or updates the segments and policies of --file, then applies the tenant's barriers (an operation) and follows it.")
        {
            tenant, file, noWait,
        };
        command.Set(host, globals, async (context, cancellationToken) =>
        {
            var name = Names.Tenant(context.Value(tenant));
            if (context.Value(file) is { } path)
            {
                var spec = BarrierFile.Read(path);
                await BarrierSync.ApplyAsync(context.Client.Barriers, name, spec, item => context.Subject = item, change =>
                {
                    context.Output.Note($"{change.Name}: {change.Action}");
                    foreach (var warning in change.Warnings)
                    {
                        context.Output.Note($"  warning {warning.Reason}: {warning.Message}");
                    }
                }, cancellationToken);
                context.Subject = null;
            }

            var started = (await context.Client.Barriers.ApplyBarrierPoliciesAsync(new ApplyBarrierPoliciesRequest { Parent = name }, cancellationToken: cancellationToken)).Operation;
            context.Output.Note($"Applying the barriers of {name} as {started.Name}.");
            var final = context.Value(noWait) ? started : await FollowAsync(context, started, cancellationToken);
            context.Show(final, () => OperationViews.Details(final));
            return context.Value(noWait) ? ExitCodes.Ok : OperationProgress.ExitCode(final);
        });
        return command;
    }

    private static async Task<Operation> FollowAsync(CommandContext context, Operation started, CancellationToken cancellationToken)
    {
        context.InterruptHint = $"The application goes on in the service: raorch operations watch {started.Name} follows it.";
        return await OperationProgress.FollowAsync(context, started, cancellationToken);
    }

    private static Command Export(CliHost host, GlobalOptions globals)
    {
        var tenant = Arguments.Tenant();
        var output = Arguments.OutFile();
        var command = new Command("export", "The PowerShell that recreates the tenant's segments and policies in the compliance centre.") { tenant, output };
        command.Set(host, globals, async (context, cancellationToken) =>
        {
            var response = await context.Client.Barriers.ExportBarrierPoliciesAsync(new ExportBarrierPoliciesRequest { Parent = Names.Tenant(context.Value(tenant)) }, cancellationToken: cancellationToken);
            await Scripts.WriteAsync(context, response, response.Script, context.Value(output), cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}
