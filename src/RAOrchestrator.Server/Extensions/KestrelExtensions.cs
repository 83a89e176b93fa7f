using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using RAOrchestrator.Server.Configuration;

namespace RAOrchestrator.Server.Extensions;

public static class KestrelExtensions
{
    /// <summary>
    /// The gRPC endpoint speaks HTTP/2 only when plaintext (HTTP/1.1 fallback would silently break gRPC), HTTP/1.1 and
    /// HTTP/2 with TLS; the management endpoint speaks HTTP/1.1 for probes; the web endpoint serves pages to people.
    /// </summary>
    public static WebApplicationBuilder AddApiEndpoints(this WebApplicationBuilder builder, ApiOptions api, WebOptions web)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            Listen(kestrel, api.Url, api.CertificatePath, api.CertificatePassword, plaintext: HttpProtocols.Http2);
            kestrel.Listen(ToEndPoint(new Uri(api.ManagementUrl)), listen => listen.Protocols = HttpProtocols.Http1);
            Listen(kestrel, web.Url, web.CertificatePath, web.CertificatePassword, plaintext: HttpProtocols.Http1);
        });
        return builder;
    }

    /// <summary>HTTP/1.1 and HTTP/2 over TLS with the certificate for https://; <paramref name="plaintext"/> otherwise.</summary>
    private static void Listen(KestrelServerOptions kestrel, string url, string? certificatePath, string? certificatePassword, HttpProtocols plaintext)
    {
        var uri = new Uri(url);
        kestrel.Listen(ToEndPoint(uri), listen =>
        {
            if (uri.Scheme == Uri.UriSchemeHttps)
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(X509CertificateLoader.LoadPkcs12FromFile(certificatePath!, certificatePassword));
            }
            else
            {
                listen.Protocols = plaintext;
            }
        });
    }

    private static IPEndPoint ToEndPoint(Uri uri)
    {
        var address = uri.Host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" or "0.0.0.0" => IPAddress.Any,
            "[::]" => IPAddress.IPv6Any,
            var host => IPAddress.Parse(host.Trim('[', ']')),
        };
        return new IPEndPoint(address, uri.Port);
    }
}
