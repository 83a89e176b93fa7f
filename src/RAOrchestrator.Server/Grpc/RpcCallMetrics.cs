using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using RAOrchestrator.Grains;

namespace RAOrchestrator.Server.Grpc;

/// <summary>
/// <c>rpc.server.call.duration</c> (OpenTelemetry RPC conventions) for every call, by method and gRPC status. ASP.NET
/// Core's <c>http.server.request.duration</c> cannot tell failures apart: a failed gRPC call is HTTP 200 with a
/// <c>grpc-status</c> trailer. Recorded after the error mapping, with the status the caller gets. Only methods the
/// server implements reach interceptors, so <c>rpc.method</c> stays bounded.
/// </summary>
public static class RpcCallMetrics
{
    private static readonly Histogram<double> Duration = Telemetry.Meter.CreateHistogram(
        "rpc.server.call.duration",
        unit: "s",
        description: "Duration of gRPC calls handled by this silo, by method and status; for streams, until the stream ends.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30] });

    /// <summary>"/pkg.Service/Method" → "pkg.Service/Method", once per method (only implemented methods get here).</summary>
    private static readonly ConcurrentDictionary<string, string> MethodNames = new(StringComparer.Ordinal);

    public static void Record(ServerCallContext context, long start, StatusCode status) =>
        Duration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, new TagList
        {
            { "rpc.system.name", "grpc" },
            { "rpc.method", MethodNames.GetOrAdd(context.Method, static m => m.TrimStart('/')) },
            { "rpc.response.status_code", StatusName(status) },
        });

    /// <summary>The status as the gRPC spec spells it (NOT_FOUND, DEADLINE_EXCEEDED), as the conventions ask.</summary>
    internal static string StatusName(StatusCode status) => status switch
    {
        StatusCode.OK => "OK",
        StatusCode.Cancelled => "CANCELLED",
        StatusCode.Unknown => "UNKNOWN",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.Aborted => "ABORTED",
        StatusCode.OutOfRange => "OUT_OF_RANGE",
        StatusCode.Unimplemented => "UNIMPLEMENTED",
        StatusCode.Internal => "INTERNAL",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.DataLoss => "DATA_LOSS",
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        _ => "UNKNOWN",
    };
}
