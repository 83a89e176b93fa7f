using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RAOrchestrator.Directory;

/// <summary>
/// The gateway's spans and metrics, under an instrumentation scope of this library's own, "RAOrchestrator.Directory"
/// (the grains' scope is "RAOrchestrator"). No tenant ids on metrics.
/// </summary>
public static class GraphTelemetry
{
    public const string Name = "RAOrchestrator.Directory";

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Every HTTP attempt sent to Graph, by method and status class (2xx, 4xx, 429, 5xx, dropped).</summary>
    internal static readonly Counter<long> Requests =
        Meter.CreateCounter<long>("raorchestrator.graph.requests", unit: "{request}", description: "HTTP attempts sent to Microsoft Graph, by method and outcome.");

    /// <summary>How long Graph took to answer each attempt (headers received), by method and outcome; attempts given up or dropped are not in it.</summary>
    internal static readonly Histogram<double> RequestDuration =
        Meter.CreateHistogram("raorchestrator.graph.request.duration", unit: "s", description: "Time Microsoft Graph took to answer an HTTP attempt, by method and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    /// <summary>Responses (top-level or inside a batch) that were 429.</summary>
    internal static readonly Counter<long> Throttled =
        Meter.CreateCounter<long>("raorchestrator.graph.throttled", unit: "{response}", description: "Graph 429 responses, top-level and inside batches.");

    /// <summary>Requests sent inside $batch calls (each is also one of Graph's requests for throttling; the batch is one round trip).</summary>
    internal static readonly Counter<long> BatchedRequests =
        Meter.CreateCounter<long>("raorchestrator.graph.batched_requests", unit: "{request}", description: "Requests sent inside Graph $batch calls.");

    /// <summary>Graph's x-ms-throttle-limit-percentage as reported: a fraction of the limit, sent from 0.8 up to 1.8.</summary>
    internal static readonly Histogram<double> LimitPercentage =
        Meter.CreateHistogram("raorchestrator.graph.throttle_limit_percentage", unit: "1", description: "x-ms-throttle-limit-percentage reported by Graph.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.8, 0.9, 1.0, 1.1, 1.2, 1.4, 1.6, 1.8] });

    internal static string Outcome(int status) => status switch
    {
        429 => "429",
        >= 500 => "5xx",
        >= 400 => "4xx",
        >= 200 and < 300 => "2xx",
        _ => "other",
    };
}
