using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using RAOrchestrator.Domain.SignInPasses;

namespace RAOrchestrator.Server.Web.Passes;

/// <summary>
/// Between asking for a code and typing it, the browser holds the link's secret (and the masked address the code went
/// to) in an encrypted, time-limited, HttpOnly, SameSite=Strict cookie scoped to the pass page; never in a URL, so no
/// log line or trace of a request carries it.
/// </summary>
public sealed record PassVisit(PassLink Link, string MaskedRecipient)
{
    public const string Cookie = "raorch-pass";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    private const string Purpose = "RAOrchestrator.Passes.Visit.v1";

    public string Protect(IDataProtectionProvider protection) =>
        Protector(protection).Protect($"{Link.Text}|{MaskedRecipient}", Lifetime);

    /// <summary>The visit the browser holds, or null (none, expired, forged, or not made by this cluster).</summary>
    public static PassVisit? Read(HttpContext http, IDataProtectionProvider protection)
    {
        if (http.Request.Cookies[Cookie] is not { Length: > 0 and < 2048 } value)
        {
            return null;
        }

        try
        {
            var parts = Protector(protection).Unprotect(value).Split('|', 2);
            return parts.Length == 2 && PassLink.TryParse(parts[0]) is { } link ? new PassVisit(link, parts[1]) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public static CookieOptions Options(WebLinks links, TimeSpan? maxAge) =>
        PageCookies.Options(links, WebLinks.PassPath, SameSiteMode.Strict, maxAge);

    private static ITimeLimitedDataProtector Protector(IDataProtectionProvider protection) =>
        protection.CreateProtector(Purpose).ToTimeLimitedDataProtector();
}
