namespace RAOrchestrator.Client;

/// <summary>Where the API is and how to authenticate to it.</summary>
public sealed class RAOrchestratorClientOptions
{
    /// <summary>
    /// The API address: <c>https://host:port</c>, or <c>http://host:port</c> for a local plaintext service
    /// (HTTP/2 without TLS); a bare <c>host:port</c> means https. <c>dns:///host:port</c> balances round robin over
    /// every address the name resolves to (a Kubernetes headless Service), <c>static:///host:port,host:port</c> over
    /// a fixed list; both use TLS unless <see cref="Plaintext"/> is set.
    /// </summary>
    public required string Address { get; init; }

    /// <summary>For a dns:/// or static:/// address: HTTP/2 without TLS (a service on this machine, a mesh that encrypts).</summary>
    public bool Plaintext { get; init; }

    /// <summary>
    /// How many times in all a call that fails UNAVAILABLE is attempted, when it is safe to repeat
    /// (<see cref="RetriedMethods"/>); 1 turns retries off. gRPC caps it at 5.
    /// </summary>
    public int MaxAttempts { get; init; } = 5;

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
