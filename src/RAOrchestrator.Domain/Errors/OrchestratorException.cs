namespace RAOrchestrator.Domain.Errors;

/// <summary>
/// A failure the caller can act on. Thrown by validation and by grains, carried across silos by Orleans,
/// and turned into a gRPC status with google.rpc details in one place at the API edge.
/// </summary>
[GenerateSerializer, Alias("raorch.OrchestratorException")]
public sealed class OrchestratorException : Exception
{
    public OrchestratorException(ErrorKind kind, string reason, string message, IReadOnlyList<FieldViolation>? violations = null)
        : base(message)
    {
        Kind = kind;
        Reason = reason;
        Violations = violations ?? [];
    }

    [Id(0)] public ErrorKind Kind { get; }

    /// <summary>UPPER_SNAKE reason, stable for callers to switch on (google.rpc.ErrorInfo.reason).</summary>
    [Id(1)] public string Reason { get; }

    [Id(2)] public IReadOnlyList<FieldViolation> Violations { get; }

    /// <summary>How long the caller should wait before trying again, when the service knows (google.rpc.RetryInfo).</summary>
    [Id(3)] public TimeSpan? RetryAfter { get; init; }

    /// <summary>Facts for callers to act on, such as the bound a request would pass (google.rpc.ErrorInfo.metadata).</summary>
    [Id(4)] public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>At most this many violations travel back: errors go in response trailers, which have a size limit.</summary>
    public const int MaxReportedViolations = 50;

    public static OrchestratorException Invalid(IReadOnlyList<FieldViolation> violations)
    {
        var reported = violations.Take(MaxReportedViolations).ToArray();
        var summary = violations.Count == 1
            ? $"{violations[0].Field}: {violations[0].Description}"
            : $"{violations.Count} fields are invalid: {string.Join("; ", violations.Take(5).Select(v => $"{v.Field}: {v.Description}"))}{(violations.Count > 5 ? "; ..." : string.Empty)}";
        return new(ErrorKind.InvalidArgument, Reasons.InvalidArgument, summary, reported);
    }

    /// <summary>A caller's value quoted in an error message, cut short so no error grows with the input.</summary>
    public static string Quote(string value) => value.Length <= 64 ? value : string.Concat(value.AsSpan(0, 64), "…");

    public static OrchestratorException Invalid(string field, string description) => Invalid([new FieldViolation(field, description)]);

    /// <summary>A watch on a host that is stopping: the watcher asks again, from its last update, and another host answers.</summary>
    public static OrchestratorException HostStopping() =>
        new(ErrorKind.Unavailable, Reasons.ClusterUnavailable, "This host is stopping; watch again from the last update you received.");

    public static OrchestratorException NotFound(string resourceName) =>
        new(ErrorKind.NotFound, Reasons.NotFound, $"{resourceName} was not found.");

    public static OrchestratorException EtagMismatch(string resourceName) =>
        new(ErrorKind.Aborted, Reasons.EtagMismatch, $"{resourceName} changed since the etag you sent was read; get it again and retry.");
}
