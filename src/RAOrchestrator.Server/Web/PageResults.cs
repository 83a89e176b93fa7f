using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Server.Web;

/// <summary>How pages answer: HTML with security headers, and refusals as a page with the status that fits.</summary>
public static class PageResults
{
    public static IResult Page(HttpContext http, string title, string body, int status = StatusCodes.Status200OK)
    {
        Secure(http);
        return Results.Content(Html.Page(title, body), "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>A refusal shown to a person: the status of its kind, its message, never a stack or a code path.</summary>
    public static IResult Refusal(HttpContext http, OrchestratorException refusal, string? title = null)
    {
        PageActions.Refused(http, refusal.Reason);
        return Page(http, title ?? "This did not work", $"<h1>{Html.E(title ?? "This did not work")}</h1><p class=\"error\" role=\"alert\">{Html.E(refusal.Message)}</p>",
            refusal.Kind switch
            {
                ErrorKind.InvalidArgument => StatusCodes.Status400BadRequest,
                ErrorKind.NotFound => StatusCodes.Status404NotFound,
                ErrorKind.PermissionDenied or ErrorKind.Unauthenticated => StatusCodes.Status403Forbidden,
                ErrorKind.FailedPrecondition or ErrorKind.AlreadyExists or ErrorKind.Aborted => StatusCodes.Status409Conflict,
                ErrorKind.ResourceExhausted => StatusCodes.Status429TooManyRequests,
                _ => StatusCodes.Status503ServiceUnavailable,
            });
    }

    /// <summary>
    /// No frames, forms post only here or to the sign-in authority, nothing cached; no scripts, or with
    /// <paramref name="hostScripts"/> only the host's own script files, which may call back only to the host.
    /// </summary>
    public static void Secure(HttpContext http, string? formTarget = null, bool hostScripts = false)
    {
        var headers = http.Response.Headers;
        var scripts = hostScripts ? "script-src 'self'; connect-src 'self'; " : string.Empty;
        headers.ContentSecurityPolicy = $"default-src 'none'; {scripts}style-src 'self'; img-src 'self'; form-action 'self'{(formTarget is null ? string.Empty : " " + formTarget)}; frame-ancestors 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        if (http.Request.IsHttps)
        {
            headers.StrictTransportSecurity = "max-age=31536000";
        }
    }
}
