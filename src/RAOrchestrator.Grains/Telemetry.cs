using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RAOrchestrator.Grains;

/// <summary>
/// The project's own ActivitySource and Meter, both named "RAOrchestrator". Metric attributes are bounded
/// (kinds, states, reasons): tenant and partner ids go on spans and logs, never on metrics.
/// </summary>
public static class Telemetry
{
    public const string Name = "RAOrchestrator";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Operations that finished, by kind and final state.</summary>
    public static readonly Counter<long> OperationsCompleted =
        Meter.CreateCounter<long>("raorchestrator.operations.completed", unit: "{operation}", description: "Long-running operations that finished, by kind and state.");

    /// <summary>Operations started, by kind.</summary>
    public static readonly Counter<long> OperationsStarted =
        Meter.CreateCounter<long>("raorchestrator.operations.started", unit: "{operation}", description: "Long-running operations started, by kind.");

    /// <summary>Information-barrier checks that denied, by activity and reason.</summary>
    public static readonly Counter<long> BarrierDenials =
        Meter.CreateCounter<long>("raorchestrator.barrier.denials", unit: "{denial}", description: "Information-barrier checks that denied an activity, by activity and reason.");

    /// <summary>Time from an operation's start to its end.</summary>
    public static readonly Histogram<double> OperationDuration =
        Meter.CreateHistogram<double>("raorchestrator.operations.duration", unit: "s", description: "Duration of long-running operations, by kind and state.");

    /// <summary>Sessions scheduled (a Teams meeting made and invitations mailed).</summary>
    public static readonly Counter<long> SessionsScheduled =
        Meter.CreateCounter<long>("raorchestrator.sessions.scheduled", unit: "{session}", description: "Remote Assist sessions scheduled.");

    /// <summary>Session requests refused by a rule, by action and reason.</summary>
    public static readonly Counter<long> SessionRefusals =
        Meter.CreateCounter<long>("raorchestrator.sessions.refusals", unit: "{refusal}", description: "Session requests refused by a rule, by action and reason.");

    /// <summary>Rows a session-store insert request carried: 1 when alone, more when steps of several sessions shared a transaction.</summary>
    public static readonly Histogram<int> SessionStoreRowsPerRequest = Meter.CreateHistogram(
        "raorchestrator.session.store.rows_per_request",
        unit: "{row}",
        description: "Session steps stored by one storage request (group commit of concurrent steps in one partition).",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100] });

    /// <summary>Bytes of each grain state written to storage, by the state's type: which states grow, and what storage is asked to take.</summary>
    public static readonly Histogram<int> StateBytes = Meter.CreateHistogram(
        "raorchestrator.grain.state.size",
        unit: "By",
        description: "Serialized size of a grain state at each write, by state type.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [256, 1024, 4096, 16384, 65536, 262144, 1048576] });

    /// <summary>How long participants waited in a session's lobby before a decision (0 for those admitted at once).</summary>
    public static readonly Histogram<double> LobbyWait =
        Meter.CreateHistogram<double>("raorchestrator.lobby.wait", unit: "s", description: "Time from asking to join to the lobby decision, by decision.");

    /// <summary>Lobby decisions: admitted, denied, removed, timed_out, released; with the reason.</summary>
    public static readonly Counter<long> LobbyDecisions =
        Meter.CreateCounter<long>("raorchestrator.lobby.decisions", unit: "{decision}", description: "Lobby and participant decisions, by decision and reason.");
}
