namespace RAOrchestrator.Client;

/// <summary>Where the API is and how to authenticate to it.</summary>
public sealed class RAOrchestratorClientOptions
{
    /// <summary>
    /// The API address: <c>https://host:port</c>, or <c>http://host:port</c> for a local plaintext service
    /// (HTTP/2 without TLS). A bare <c>host:port</c> means https.
    /// </summary>
    public required string Address { get; init; }

    /// <summary>The partner token for every call; null sends none (only health and reflection answer then).</summary>
    public ITokenProvider? Tokens { get; init; }

    /// <summary>
    /// Trust exactly the server certificate with this SHA-256 thumbprint (hex, colons allowed) instead of the
    /// machine's certificate authorities, e.g. a local service with a self-signed certificate.
    /// </summary>
    public string? PinnedCertificateSha256 { get; init; }

    /// <summary>The largest response the client accepts, in bytes; null keeps the gRPC default (4 MiB).</summary>
    public int? MaxReceiveMessageBytes { get; init; }

    /// <summary>Client interceptors every call goes through, outermost first (logging, retries, tests' observers).</summary>
    public IReadOnlyList<Grpc.Core.Interceptors.Interceptor> Interceptors { get; init; } = [];
}
