using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Server.Web.Gate;

/// <summary>
/// A guest's request to join, remembered by the browser in an encrypted, HttpOnly, SameSite=Strict cookie scoped to
/// the join page (never in the URL): which session, which participant it became, and who asked (with the invitation
/// proof, which a fresh ticket needs once admitted). A cookie of another session, or one not made by this host, is nothing.
/// </summary>
public sealed record GateAttempt(string Session, string ParticipantId, string Email, string DisplayName, string? Proof, ClientKind Client)
{
    public const string Cookie = "raorch-gate";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);
    private const string Purpose = "RAOrchestrator.Gate.Attempt.v1";

    public string Protect(IDataProtectionProvider protection) =>
        protection.CreateProtector(Purpose).Protect(JsonSerializer.Serialize(this));

    /// <summary>The attempt the browser holds for <paramref name="session"/>, or null (none, forged, or another session's).</summary>
    public static GateAttempt? Read(HttpContext http, IDataProtectionProvider protection, string session)
    {
        if (http.Request.Cookies[Cookie] is not { Length: > 0 and < 4096 } value)
        {
            return null;
        }

        try
        {
            var attempt = JsonSerializer.Deserialize<GateAttempt>(protection.CreateProtector(Purpose).Unprotect(value));
            return attempt is not null && string.Equals(attempt.Session, session, StringComparison.Ordinal) ? attempt : null;
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>HttpOnly, SameSite=Strict, only for the join page; <paramref name="maxAge"/> null for a browser-session cookie.</summary>
    public static CookieOptions Options(WebLinks links, TimeSpan? maxAge) =>
        PageCookies.Options(links, WebLinks.GatePath, SameSiteMode.Strict, maxAge);
}
