using Microsoft.Identity.Client;
using RAOrchestrator.Client;

namespace RAOrchestrator.Cli.Connection;

/// <summary>MSAL's HTTP client to the authority: the system's trust, or exactly one certificate when a pin is given (a local issuer).</summary>
public sealed class PinnedHttpClientFactory(string? sha256Thumbprint) : IMsalHttpClientFactory
{
    private readonly HttpClient _client = Create(sha256Thumbprint);

    public HttpClient GetHttpClient() => _client;

    private static HttpClient Create(string? pin)
    {
        var handler = new SocketsHttpHandler();
        if (pin is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = CertificatePin.Validator(pin);
        }

        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }
}
