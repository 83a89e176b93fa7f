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
            var apiUri = new Uri(api.Url);
            kestrel.Listen(ToEndPoint(apiUri), listen =>
            {
                if (apiUri.Scheme == Uri.UriSchemeHttps)
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(X509CertificateLoader.LoadPkcs12FromFile(api.CertificatePath!, api.CertificatePassword));
                }
                else
                {
                    listen.Protocols = HttpProtocols.Http2;
                }
            });
            kestrel.Listen(ToEndPoint(new Uri(api.ManagementUrl)), listen => listen.Protocols = HttpProtocols.Http1);
            var webUri = new Uri(web.Url);
            kestrel.Listen(ToEndPoint(webUri), listen =>
            {
                if (webUri.Scheme == Uri.UriSchemeHttps)
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(X509CertificateLoader.LoadPkcs12FromFile(web.CertificatePath!, web.CertificatePassword));
                }
                else
                {
                    listen.Protocols = HttpProtocols.Http1;
                }
            });
        });
        return builder;
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
