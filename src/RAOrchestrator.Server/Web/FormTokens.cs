using System.Security.Cryptography;
using System.Text;
using RAOrchestrator.Server.Web.Approval;

namespace RAOrchestrator.Server.Web;

/// <summary>
/// The CSRF defence of every form: a random token in an HttpOnly SameSite=Strict cookie, repeated in a hidden field,
/// and a post is accepted only when the two match.
/// </summary>
public static class FormTokens
{
    /// <summary>The browser's token (kept when it has a well-formed one), set again on the response.</summary>
    public static string Issue(HttpContext http, string cookie, CookieOptions options)
    {
        var token = http.Request.Cookies[cookie] is { Length: > 20 and < 100 } existing ? existing : SignInSecrets.Random();
        http.Response.Cookies.Append(cookie, token, options);
        return token;
    }

    public static bool Matches(string? cookie, string? field) =>
        cookie is { Length: > 20 } && field is { Length: > 20 }
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(cookie), Encoding.UTF8.GetBytes(field));
}
