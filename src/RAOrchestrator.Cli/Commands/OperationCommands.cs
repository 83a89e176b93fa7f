using System.CommandLine;
using RAOrchestrator.Cli.Output;
using RAOrchestrator.Cli.Views;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Cli.Commands;

/// <summary><c>raorch operations list|get|watch|cancel</c>: long-running work (onboarding, barrier application).</summary>
public static class OperationCommands
{
    public static Command Create(CliHost host, GlobalOptions globals)
    {
        var command = new Command("operations", "Long-running work: onboarding, bulk onboarding, barrier application.");
        command.Subcommands.Add(List(host, globals));
        command.Subcommands.Add(Get(host, globals));
        command.Subcommands.Add(Watch(host, globals));
        command.Subcommands.Add(Cancel(host, globals));
        return command;
    }

    private static Argument<string> OperationArgument() => new("operation") { Description = "operations/<id>" };

    private static Command List(CliHost host, GlobalOptions globals)
    {
        var size = new Option<int>("--limit") { Description = "How many, newest first (1 to 1000).", DefaultValueFactory = _ => 50 };
        var command = new Command("list", "Lists your newest operations.") { size };
        command.Set(host, globals, async (context, cancellationToken) =>
        {
            var response = await context.Client.Operations.ListOperationsAsync(new ListOperationsRequest { PageSize = context.Value(size) }, cancellationToken: cancellationToken);
            if (context.Output.Json)
            {
                context.Output.WriteJson(ProtoJson.List("operations", response.Operations));
                return ExitCodes.Ok;
            }

            var table = Tables.Create("Operation", "Kind", "State", "Target", "Progress", "Updated");
            foreach (var o in response.Operations)
            {
                table.Row(o.Name, Tables.Words(o.Kind), Tables.Words(o.State), o.Target, $"{o.ProgressPercent} %", Tables.Time(o.UpdateTime));
            }

            context.Output.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Get(CliHost host, GlobalOptions globals)
    {
        var operation = OperationArgument();
        var command = new Command("get", "Shows an operation: its steps, or a bulk operation's counts and the items that did not succeed.") { operation };
        command.Set(host, globals, async (context, cancellationToken) =>
        {
            var response = await context.Client.Operations.GetOperationAsync(new GetOperationRequest { Name = Names.Operation(context.Value(operation)) }, cancellationToken: cancellationToken);
            Write(context, response.Operation);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Watch(CliHost host, GlobalOptions globals)
    {
        var operation = OperationArgument();
        var command = new Command("watch", "Follows an operation to its end; exits 0 when it succeeded with every item, 1 otherwise.") { operation };
        command.Set(host, globals, async (context, cancellationToken) =>
        {
            var name = Names.Operation(context.Value(operation));
            var current = (await context.Client.Operations.GetOperationAsync(new GetOperationRequest { Name = name }, cancellationToken: cancellationToken)).Operation;
            context.InterruptHint = $"The operation goes on in the service; raorch operations watch {name} follows it again.";
            var final = await OperationProgress.FollowAsync(context, current, cancellationToken);
            Write(context, final);
            return OperationProgress.ExitCode(final);
        });
        return command;
    }

    private static Command Cancel(CliHost host, GlobalOptions globals)
    {
        var operation = OperationArgument();
        var command = new Command("cancel", "Cancels a bulk onboarding: nothing new starts, running work finishes.") { operation };
        command.Set(host, globals, async (context, cancellationToken) =>
        {
            var response = await context.Client.Operations.CancelOperationAsync(new CancelOperationRequest { Name = Names.Operation(context.Value(operation)) }, cancellationToken: cancellationToken);
            Write(context, response.Operation);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(CommandContext context, Operation operation) => context.Show(operation, () => OperationViews.Details(operation));
}
