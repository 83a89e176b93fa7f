namespace RAOrchestrator.Server.Configuration;

/// <summary>Where the gRPC API and the management endpoints (health) listen.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>The gRPC endpoint. http:// is plaintext HTTP/2 only (local use); https:// needs CertificatePath.</summary>
    public string Url { get; set; } = "http://127.0.0.1:5080";

    /// <summary>HTTP/1.1 endpoint for /health/live and /health/ready (what Kubernetes probes speak).</summary>
    public string ManagementUrl { get; set; } = "http://127.0.0.1:5081";

    /// <summary>A PFX file with the TLS certificate, when Url is https://.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Largest request message the API accepts, in bytes; StartBulkOnboarding accepts up to 64 MiB (or this, when larger).</summary>
    public int MaxReceiveMessageBytes { get; set; } = 1024 * 1024;
}
