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

    public static OrchestratorException Invalid(IReadOnlyList<FieldViolation> violations) =>
        new(ErrorKind.InvalidArgument, Reasons.InvalidArgument,
            violations.Count == 1 ? $"{violations[0].Field}: {violations[0].Description}" : $"{violations.Count} fields are invalid: {string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}"))}",
            violations);

    public static OrchestratorException Invalid(string field, string description) => Invalid([new FieldViolation(field, description)]);

    public static OrchestratorException NotFound(string resourceName) =>
        new(ErrorKind.NotFound, Reasons.NotFound, $"{resourceName} was not found.");

    public static OrchestratorException EtagMismatch(string resourceName) =>
        new(ErrorKind.Aborted, Reasons.EtagMismatch, $"{resourceName} changed since the etag you sent was read; get it again and retry.");
}
