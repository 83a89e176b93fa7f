using System.CommandLine;
using Grpc.Core;
using RAOrchestrator.Cli.Errors;

namespace RAOrchestrator.Cli.Commands;

/// <summary>Runs a command's body and turns every failure into its exit code and a message that says what to do.</summary>
public static class CliAction
{
    public static void Set(this Command command, CliHost host, GlobalOptions globals, Func<CommandContext, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            CommandContext? context = null;
            try
            {
                context = new CommandContext(host, parse, globals);
                return await body(context, cancellationToken);
            }
            catch (Exception ex)
            {
                var report = Report(ex, context, cancellationToken);
                if (context?.Output.Json == true)
                {
                    report.WriteJson(host.Error);
                }
                else
                {
                    report.WriteText(host.Error);
                }

                return report.ExitCode;
            }
            finally
            {
                context?.Dispose();
            }
        });

    private static ErrorReport Report(Exception exception, CommandContext? context, CancellationToken cancellationToken) => exception switch
    {
        _ when cancellationToken.IsCancellationRequested && exception is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled } =>
            new ErrorReport(ExitCodes.Interrupted, null, null, "Interrupted.", [], [], context?.InterruptHint),
        CliException cli => new ErrorReport(cli.ExitCode, null, null, cli.Message, [], cli.Details, cli.Hint),
        // A failure to get a token for a call (e.g. a sign-in that expired) comes back inside the call's error.
        RpcException { Status.DebugException: { } inner } when Find<CliException>(inner) is { } cli =>
            new ErrorReport(cli.ExitCode, null, null, cli.Message, [], cli.Details, cli.Hint),
        RpcException rpc => Named(RpcErrorMapping.Report(rpc, context?.Connection.Address ?? "the service", context?.DescribeField), context?.Subject),
        _ => new ErrorReport(ExitCodes.Internal, null, null, $"{exception.GetType().Name}: {exception.Message}", [], [], "This is a bug in raorch; please report it with the command you ran."),
    };

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static ErrorReport Named(ErrorReport report, string? subject) => subject is null ? report : report with { Message = $"{subject}: {report.Message}" };
}
