using System.Net;

namespace RAOrchestrator.Client;

/// <summary>
/// What a person types as the API address, read once: <c>host:port</c> or <c>https://host:port</c> (one endpoint,
/// TLS), <c>http://host:port</c> (one endpoint, plaintext), <c>dns:///host:port</c> (every address the name resolves
/// to, re-resolved now and then) or <c>static:///host:port,host:port</c> (a fixed list). With dns and static, calls
/// are spread round robin over the addresses and TLS is used unless the caller asks for plaintext.
/// </summary>
/// <param name="Target">The channel's target URI.</param>
/// <param name="Secure">Whether the channel uses TLS.</param>
/// <param name="StaticEndpoints">The endpoints of a <c>static:///</c> address; empty for the others.</param>
public sealed record ClientAddress(Uri Target, bool Secure, IReadOnlyList<DnsEndPoint> StaticEndpoints)
{
    public const string DnsScheme = "dns";
    public const string StaticScheme = "static";

    /// <summary>Whether calls are balanced over several addresses (dns:/// and static:///).</summary>
    public bool Balanced => Target.Scheme is DnsScheme or StaticScheme;

    /// <param name="plaintext">For dns:/// and static:///: HTTP/2 without TLS. An http:// or https:// address says it itself.</param>
    public static ClientAddress Parse(string address, bool plaintext = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var text = address.Trim();
        if (text.StartsWith(DnsScheme + ":///", StringComparison.OrdinalIgnoreCase))
        {
            var hostPort = text[(DnsScheme.Length + 4)..];
            _ = Endpoint(hostPort, address);
            return new ClientAddress(new Uri($"{DnsScheme}:///{hostPort}"), !plaintext, []);
        }

        if (text.StartsWith(StaticScheme + ":///", StringComparison.OrdinalIgnoreCase))
        {
            var endpoints = text[(StaticScheme.Length + 4)..].Split(',', StringSplitOptions.TrimEntries).Select(e => Endpoint(e, address)).ToArray();
            return new ClientAddress(new Uri($"{StaticScheme}:///raorchestrator"), !plaintext, endpoints);
        }

        var url = text.Contains("://", StringComparison.Ordinal) ? text : "https://" + text;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.AbsolutePath != "/")
        {
            throw Invalid(address);
        }

        if (plaintext && uri.Scheme == Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"'{address}' asks for TLS; use http://host:port for plaintext.", nameof(address));
        }

        return new ClientAddress(uri, uri.Scheme == Uri.UriSchemeHttps, []);
    }

    private static DnsEndPoint Endpoint(string hostPort, string address)
    {
        // [::1]:5080, 10.0.0.7:5080, api.example:443: the port is what follows the last colon.
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw Invalid(address);
        }

        var host = hostPort[..colon].Trim('[', ']');
        if (host.Length == 0 || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            throw Invalid(address);
        }

        return new DnsEndPoint(host, port);
    }

    private static ArgumentException Invalid(string address) => new(
        $"'{address}' is not an API address; use host:port, https://host:port, http://host:port, dns:///host:port or static:///host:port,host:port.",
        nameof(address));
}
