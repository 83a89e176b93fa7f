using System.Security.Cryptography;
using System.Text;

namespace RAOrchestrator.Server.Web;

/// <summary>The pages' cookies (HttpOnly, Secure over HTTPS, SameSite, scoped to one page's path) and their form-token check.</summary>
public static class PageCookies
{
    public static CookieOptions Options(WebLinks links, string path, SameSiteMode sameSite, TimeSpan? maxAge = null) => new()
    {
        HttpOnly = true,
        Secure = links.IsHttps,
        SameSite = sameSite,
        Path = path,
        MaxAge = maxAge,
        IsEssential = true,
    };

    /// <summary>Whether a form's token is the one expected (its cookie, or the sign-in's), compared in fixed time.</summary>
    public static bool TokenMatches(string? expected, string? given) =>
        expected is { Length: > 20 } && given is { Length: > 20 }
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));
}
