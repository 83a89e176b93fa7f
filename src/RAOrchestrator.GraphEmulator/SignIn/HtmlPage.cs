using System.Net;
using System.Text;

namespace RAOrchestrator.GraphEmulator.SignIn;

/// <summary>
/// An HTML answer of the sign-in pages: not cached, not framed, no scripts or external assets allowed, no referrer.
/// No <c>form-action</c> limit, since browsers apply it to the redirect to the app's redirect URI too.
/// </summary>
public sealed class HtmlPage(string html, int statusCode = StatusCodes.Status200OK) : IResult
{
    public string Html => html;

    /// <summary>A whole document around <paramref name="body"/> (already HTML); the title is encoded here.</summary>
    public static string Document(string title, string body) =>
        $"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{WebUtility.HtmlEncode(title)}</title>\n</head>\n<body>\n{body}</body>\n</html>\n";

    public async Task ExecuteAsync(HttpContext http)
    {
        var r = http.Response;
        r.StatusCode = statusCode;
        r.ContentType = "text/html; charset=utf-8";
        r.Headers.CacheControl = "no-store";
        r.Headers.Pragma = "no-cache";
        r.Headers.XFrameOptions = "DENY";
        r.Headers.XContentTypeOptions = "nosniff";
        r.Headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
        r.Headers["Referrer-Policy"] = "no-referrer";
        await r.WriteAsync(html, Encoding.UTF8);
    }
}
