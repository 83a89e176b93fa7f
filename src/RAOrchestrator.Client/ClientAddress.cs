namespace RAOrchestrator.Client;

/// <summary>Turns what a person types (<c>host:port</c>, <c>http://…</c>, <c>https://…</c>) into the channel's URI.</summary>
public static class ClientAddress
{
    public static Uri Parse(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var text = address.Contains("://", StringComparison.Ordinal) ? address.Trim() : "https://" + address.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.AbsolutePath != "/")
        {
            throw new ArgumentException($"'{address}' is not an API address; use host:port, http://host:port or https://host:port.", nameof(address));
        }

        return uri;
    }
}
