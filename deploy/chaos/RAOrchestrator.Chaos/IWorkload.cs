namespace RAOrchestrator.Chaos;

/// <summary>What a workload reports after the run: its own table rows, what it had acknowledged, and what of that is missing.</summary>
public sealed record WorkloadReport(string Name, long Acknowledged, long Lost, IReadOnlyList<(string Check, string Result, bool Passed)> Checks);

/// <summary>
/// One kind of load the chaos run holds while it injects faults. The run starts every workload, injects its faults,
/// stops the workloads, waits for their work to finish, and then asks each to verify what it was told was done.
/// </summary>
public interface IWorkload
{
    string Name { get; }

    /// <summary>Sets up what must already exist when the faults begin (live sessions, their watchers); the run's clock starts after.</summary>
    Task PrepareAsync(ChaosContext context, Action<string> log) => Task.CompletedTask;

    /// <summary>Generates load until <paramref name="stop"/> is cancelled (or the workload's work is all sent).</summary>
    Task RunAsync(ChaosContext context, CancellationToken stop);

    /// <summary>Waits until the work already acknowledged has finished in the service, within <paramref name="limit"/>.</summary>
    Task SettleAsync(ChaosContext context, TimeSpan limit);

    /// <summary>Checks every acknowledged operation against the service and the emulator.</summary>
    Task<WorkloadReport> VerifyAsync(ChaosContext context);
}
