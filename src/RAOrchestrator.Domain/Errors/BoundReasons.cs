namespace RAOrchestrator.Domain.Errors;

/// <summary>
/// Reasons of RESOURCE_EXHAUSTED refusals that name a stored bound (google.rpc.ErrorInfo; its metadata carries
/// <see cref="LimitKey"/> and, where known, <see cref="SizeKey"/>). Refused before anything is written.
/// </summary>
public static class BoundReasons
{
    /// <summary>A grain's stored state would pass the most one Azure Table entity may hold.</summary>
    public const string StateLimitReached = "STATE_LIMIT_REACHED";

    /// <summary>A tenant's barrier configuration (segments and policies) would pass its stored size.</summary>
    public const string BarrierConfigurationTooLarge = "BARRIER_CONFIGURATION_TOO_LARGE";

    /// <summary>An index of a tenant's sessions or service accounts holds as many keys as it may (millions).</summary>
    public const string IndexFull = "INDEX_FULL";

    /// <summary>ErrorInfo metadata: which bound (a state or collection name).</summary>
    public const string BoundKey = "bound";

    /// <summary>ErrorInfo metadata: the bound's value (bytes or entries, as the reason says).</summary>
    public const string LimitKey = "limit";

    /// <summary>ErrorInfo metadata: what the request would have made it.</summary>
    public const string SizeKey = "size";

    public static OrchestratorException Exhausted(string reason, string message, string bound, long limit, long? size = null) =>
        new(ErrorKind.ResourceExhausted, reason, message)
        {
            Metadata = size is { } s
                ? new Dictionary<string, string> { [BoundKey] = bound, [LimitKey] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture), [SizeKey] = s.ToString(System.Globalization.CultureInfo.InvariantCulture) }
                : new Dictionary<string, string> { [BoundKey] = bound, [LimitKey] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
}
