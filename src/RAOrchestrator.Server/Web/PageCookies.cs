using System.Security.Cryptography;
using System.Text;
using RAOrchestrator.Server.Web.SignIn;

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

    /// <summary>
    /// The CSRF token of a page's forms: the browser's own (when it has a well-formed one) or a new random one, set
    /// again in an HttpOnly cookie; the form repeats it in a hidden field, and a post is accepted only when the two match.
    /// </summary>
    public static string IssueFormToken(HttpContext http, string cookie, CookieOptions options)
    {
        var token = http.Request.Cookies[cookie] is { Length: > 20 and < 100 } existing ? existing : SignInSecrets.Random();
        http.Response.Cookies.Append(cookie, token, options);
        return token;
    }

    /// <summary>The posted form when its <c>csrf</c> field is <paramref name="expectedToken"/>; null for a forged, tokenless, oversized or non-form post.</summary>
    public static async Task<IFormCollection?> FormWithTokenAsync(HttpContext http, string? expectedToken)
    {
        if (expectedToken is null || !http.Request.HasFormContentType)
        {
            return null;
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync();
        }
        catch (BadHttpRequestException)
        {
            return null; // larger than the endpoint allows, or malformed: no page of ours sent it
        }
        catch (InvalidDataException)
        {
            return null; // more fields or longer values than forms are read with
        }

        return TokenMatches(expectedToken, form["csrf"]) ? form : null;
    }

    /// <summary>Whether a form's token is the one expected (its cookie, or the sign-in's), compared in fixed time.</summary>
    public static bool TokenMatches(string? expected, string? given) =>
        expected is { Length: > 20 } && given is { Length: > 20 }
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));
}
