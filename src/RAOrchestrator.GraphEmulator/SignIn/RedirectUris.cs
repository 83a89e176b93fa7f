using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.GraphEmulator.SignIn;

/// <summary>
/// Entra's redirect URI rule: a requested URI matches a registered one when scheme and host are equal ignoring case
/// and port, path and query are equal exactly; for <c>http</c> on a loopback host (127.0.0.1, localhost, [::1]) the
/// port is ignored, so a native or local app may listen on any free port.
/// </summary>
public static class RedirectUris
{
    private static readonly string[] LoopbackHosts = ["127.0.0.1", "localhost", "[::1]"];

    public static bool IsRegistered(AppRegistrationData app, string requested) =>
        app.RedirectUris.Any(r => Matches(r, requested));

    public static bool Matches(string registered, string requested)
    {
        if (!Uri.TryCreate(registered, UriKind.Absolute, out var a) || !Uri.TryCreate(requested, UriKind.Absolute, out var b))
        {
            return false;
        }

        if (a.Fragment.Length > 0 || b.Fragment.Length > 0)
        {
            return false;
        }

        if (!string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) ||
            !string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) ||
            !string.Equals(a.PathAndQuery, b.PathAndQuery, StringComparison.Ordinal))
        {
            return false;
        }
        return a.Port == b.Port || (IsHttpLoopback(a) && IsHttpLoopback(b));
    }

    private static bool IsHttpLoopback(Uri u) =>
        u.Scheme == Uri.UriSchemeHttp && LoopbackHosts.Contains(u.Host, StringComparer.OrdinalIgnoreCase);
}
