using RAOrchestrator.Client;
using RAOrchestrator.Contracts.V1;
using Spectre.Console;

namespace RAOrchestrator.Cli.Commands;

/// <summary>Follows an operation to its end (WatchOperation), with a live progress bar for people.</summary>
public static class OperationProgress
{
    public static async Task<Operation> FollowAsync(CommandContext context, Operation operation, CancellationToken cancellationToken)
    {
        var operations = context.Client.Operations;
        if (operation.Done)
        {
            return operation;
        }

        var approvals = new ApprovalNotes(context.Output);
        approvals.Show(operation);
        if (context.Output.Json)
        {
            return await operations.WatchUntilDoneAsync(operation.Name, approvals.Show, cancellationToken: cancellationToken);
        }

        return await context.Output.Console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Describe(operation), maxValue: Max(operation));
                task.Value = Finished(operation);
                var final = await operations.WatchUntilDoneAsync(operation.Name, update =>
                {
                    approvals.Show(update);
                    task.MaxValue = Max(update);
                    task.Value = Finished(update);
                    task.Description = Describe(update);
                }, cancellationToken: cancellationToken);
                task.StopTask();
                return final;
            });
    }

    /// <summary>0 when the operation succeeded with every item; 1 when it failed, was cancelled or has items that did not succeed.</summary>
    public static int ExitCode(Operation operation) =>
        operation.State == Operation.Types.State.Succeeded && (operation.Bulk is null || operation.Bulk.Succeeded == operation.Bulk.Total)
            ? ExitCodes.Ok
            : ExitCodes.Failures;

    /// <summary>Tells the user once about each approval link an operation waits for (on stderr, so JSON output stays clean).</summary>
    private sealed class ApprovalNotes(Output.CliOutput output)
    {
        private readonly HashSet<string> _shown = new(StringComparer.Ordinal);

        public void Show(Operation operation)
        {
            if (operation.ApprovalUri.Length > 0 && _shown.Add(operation.ApprovalUri))
            {
                output.Note($"approval needed: send {operation.ApprovalUri} to an administrator of {operation.Target}");
            }

            foreach (var pending in operation.Bulk?.PendingApprovals ?? [])
            {
                if (_shown.Add(pending.ApprovalUri))
                {
                    output.Note($"approval needed: send {pending.ApprovalUri} to an administrator of {pending.Target}");
                }
            }
        }
    }

    private static double Max(Operation o) => o.Bulk is { Total: > 0 } b ? b.Total : 100;

    private static double Finished(Operation o) => o.Bulk is { } b ? b.Succeeded + b.NeedsAttention + b.Failed + b.Cancelled : o.ProgressPercent;

    private static string Describe(Operation o)
    {
        var text = o.Bulk is { } b
            ? $"{b.Succeeded} succeeded, {b.NeedsAttention} need attention, {b.Failed} failed, {b.AwaitingApproval} awaiting approval, {b.Pending + b.Running} to go"
            : o.Steps.FirstOrDefault(s => s.State == OperationStep.Types.State.Running) is { } step ? step.Title : Views.Tables.Words(o.State);
        return Markup.Escape(text);
    }
}
