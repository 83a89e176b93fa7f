using System.CommandLine;
using RAOrchestrator.Cli.Errors;
using RAOrchestrator.Cli.Manifests;
using RAOrchestrator.Cli.Views;

namespace RAOrchestrator.Cli.Commands;

/// <summary>
/// <c>raorch onboard manifest.csv|yaml</c>: one StartBulkOnboarding for every tenant of the manifest, followed live to
/// its end, then the summary. Exit 0 when every tenant is ACTIVE, 1 when any is not.
/// </summary>
public static class OnboardCommand
{
    public static Command Create(CliHost host, GlobalOptions globals)
    {
        var manifest = new Argument<string>("manifest") { Description = "A .csv or .yaml file of tenants (see the README for the fields)." };
        var parallelism = new Option<int?>("--parallelism") { Description = "Tenants onboarded at the same time, 1 to 64 (default: the manifest's max_parallelism, else the service's 16)." };
        var requestId = new Option<string?>("--request-id")
        {
            Description = "Identifies the bulk operation. Default: derived from the manifest's content, so running the same manifest again follows the same operation.",
        };
        var noWait = Arguments.NoWait();
        var command = new Command("onboard", "Onboards every tenant of a manifest (StartBulkOnboarding) with a live progress bar and a summary.")
        {
            manifest, parallelism, requestId, noWait,
        };
        command.Set(host, globals, async (context, cancellationToken) =>
        {
            var read = ManifestReader.Read(context.Value(manifest));
            context.DescribeField = read.DescribeField;
            var request = read.ToRequest(context.Value(requestId), context.Value(parallelism));
            CheckSize(request);
            var started = (await context.Client.BulkOnboarding.StartBulkOnboardingAsync(request, cancellationToken: cancellationToken)).Operation;
            context.Output.Note($"Onboarding {request.Tenants.Count} tenant{(request.Tenants.Count == 1 ? string.Empty : "s")} as {started.Name} (request id {request.RequestId}).");
            if (context.Value(noWait))
            {
                Write(context, started);
                context.Output.Note($"Follow it with: raorch operations watch {started.Name}");
                return ExitCodes.Ok;
            }

            context.InterruptHint = $"The onboarding goes on in the service: raorch operations watch {started.Name} follows it, and running the same manifest again shows it too.";
            var final = await OperationProgress.FollowAsync(context, started, cancellationToken);
            Write(context, final);
            return OperationProgress.ExitCode(final);
        });
        return command;
    }

    /// <summary>
    /// The service takes a StartBulkOnboarding of at most 64 MiB (5,000 tenants and 20,000 accounts of the longest
    /// names fit); a larger manifest is refused here, saying how to split it, instead of after sending it all.
    /// </summary>
    private static void CheckSize(Contracts.V1.StartBulkOnboardingRequest request)
    {
        const int limit = 64 * 1024 * 1024;
        var size = request.CalculateSize();
        if (size > limit)
        {
            var files = (size + limit - 1) / limit;
            throw CliException.Usage(
                $"The manifest makes a request of {size:N0} bytes; the service accepts at most {limit:N0} bytes (64 MiB) in one bulk onboarding.",
                $"Split it into at least {files} manifests of about {request.Tenants.Count / files:N0} tenants each and run raorch onboard for each.");
        }
    }

    private static void Write(CommandContext context, Contracts.V1.Operation operation) => context.Show(operation, () => OperationViews.BulkSummary(operation));
}
