namespace RAOrchestrator.Client;

/// <summary>
/// Reports a call that a stopping server turned away before answering as UNAVAILABLE instead of INTERNAL.
/// </summary>
/// <remarks>
/// A server that shuts down gracefully (a rolling restart, a scaled-in pod) sends HTTP/2 GOAWAY with NO_ERROR: calls
/// it had not begun were not processed and may be sent elsewhere. .NET's HTTP client tries such a call on a new
/// connection, but when that connection reaches the same stopping process again it gives up with an
/// <see cref="HttpProtocolException"/> carrying NO_ERROR, which gRPC maps to INTERNAL, a status the channel never
/// repeats. The server never answered that call, so it is UNAVAILABLE: the retry policy repeats it on another process
/// when the method is safe to repeat (<see cref="RetriedMethods"/>), and otherwise the caller sees the status that
/// says "try again" rather than the one that says "the service is broken".
/// </remarks>
internal sealed class GoneAwayAsUnavailable : DelegatingHandler
{
    public GoneAwayAsUnavailable(HttpMessageHandler inner)
        : base(inner)
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            // gRPC reads responses as they stream, so this returns once the response's headers arrive: a failure
            // here means the server answered nothing.
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ClosedWithoutAnswer(ex))
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, ServerWentAwayException.Summary, new ServerWentAwayException(ex));
        }
    }

    /// <summary>An HTTP/2 stream or connection closed with NO_ERROR before the response began.</summary>
    private static bool ClosedWithoutAnswer(HttpRequestException ex) =>
        ex.HttpRequestError == HttpRequestError.HttpProtocolError && ex.InnerException is HttpProtocolException { ErrorCode: 0 };
}

/// <summary>
/// The server closed its connection (HTTP/2 GOAWAY, NO_ERROR) before it answered the call. An <see cref="IOException"/>,
/// which gRPC reports as UNAVAILABLE; the transport's own exception is <see cref="Transport"/>, kept out of the inner
/// chain because gRPC would map its protocol error code to INTERNAL.
/// </summary>
public sealed class ServerWentAwayException(HttpRequestException transport) : IOException(transport.Message + " " + transport.InnerException?.Message)
{
    public const string Summary = "The server closed the connection before it answered the call.";

    /// <summary>What the HTTP client reported.</summary>
    public HttpRequestException Transport { get; } = transport;
}
