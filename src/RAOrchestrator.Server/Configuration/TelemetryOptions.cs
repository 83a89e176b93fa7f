namespace RAOrchestrator.Server.Configuration;

/// <summary>
/// Whether the host records traces. A span costs every call it covers, and Orleans adds two to each grain call, so by
/// default spans are made only when something receives them: an OTLP endpoint (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).
/// Logs and metrics do not depend on this; an incoming <c>traceparent</c> still reaches the request's logs.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary><c>auto</c> (record when exporting), <c>on</c> (also without an exporter, for in-process listeners) or <c>off</c>.</summary>
    public string Traces { get; set; } = "auto";

    /// <summary>
    /// Whether the management (health) endpoint also answers <c>GET /metrics</c> in Prometheus' text format, for
    /// operators who scrape instead of (or as well as) receiving OTLP. Off by default; never on the API or pages ports.
    /// </summary>
    public bool PrometheusEndpoint { get; set; }

    /// <summary>Whether an OTLP endpoint is configured; read from the standard variable, not from this section.</summary>
    public bool Exporting { get; set; }

    /// <summary>Whether spans are recorded: the ASP.NET Core, HTTP client and our own sources, and Orleans' activity propagation.</summary>
    public bool RecordsTraces => Traces.ToLowerInvariant() switch
    {
        "on" => true,
        "off" => false,
        _ => Exporting,
    };

    public IEnumerable<string> Validate()
    {
        if (Traces.ToLowerInvariant() is not ("auto" or "on" or "off"))
        {
            yield return "Telemetry:Traces must be auto, on or off.";
        }
    }
}
