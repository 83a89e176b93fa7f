using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using RAOrchestrator.Domain.Tenants.Ownership;
using RAOrchestrator.Server.Web.SignIn;

namespace RAOrchestrator.Server.Web.Console;

/// <summary>Who is signed in to the lobby console: a user of one tenant, and the token its forms must carry.</summary>
public sealed record ConsoleUser(string TenantId, string UserId, string UserPrincipalName, string DisplayName, string FormToken);

/// <summary>A console sign-in under way: the tenant it was started for, its state and the browser's binding.</summary>
public sealed record PendingConsoleSignIn(string TenantId, string State, string Binding);

/// <summary>
/// The console's cookies, protected (encrypted and signed) by the host's data-protection keys, scoped to the console's
/// path, HttpOnly and SameSite: the signed-in user (bound to its user and tenant, 8 hours) and a sign-in under way
/// (10 minutes, taken once by the callback).
/// </summary>
public sealed class ConsoleCookies(IDataProtectionProvider protection, WebLinks links)
{
    public const string UserCookie = "raorch-console";
    public const string SignInCookie = "raorch-console-signin";
    public static readonly TimeSpan UserLifetime = TimeSpan.FromHours(8);
    private static readonly TimeSpan SignInLifetime = TimeSpan.FromMinutes(10);
    private const int MaxCookieLength = 4096;

    private readonly ITimeLimitedDataProtector _users = protection.CreateProtector("raorch.console.user.v1").ToTimeLimitedDataProtector();
    private readonly ITimeLimitedDataProtector _signIns = protection.CreateProtector("raorch.console.signin.v1").ToTimeLimitedDataProtector();

    public void SignIn(HttpContext http, TenantAdmin user)
    {
        var value = new ConsoleUser(user.TenantId, user.ObjectId, user.UserPrincipalName, user.DisplayName, SignInSecrets.Random());
        // Lax: the browser arrives from the authority's redirect and must be recognised on the console that follows.
        http.Response.Cookies.Append(UserCookie, _users.Protect(JsonSerializer.Serialize(value), UserLifetime), Options(SameSiteMode.Lax, UserLifetime));
    }

    public ConsoleUser? User(HttpContext http) => Read<ConsoleUser>(http, UserCookie, _users);

    public void SignOut(HttpContext http) => http.Response.Cookies.Delete(UserCookie, Options(SameSiteMode.Lax));

    public void BeginSignIn(HttpContext http, PendingConsoleSignIn pending) =>
        http.Response.Cookies.Append(SignInCookie, _signIns.Protect(JsonSerializer.Serialize(pending), SignInLifetime), Options(SameSiteMode.Lax, SignInLifetime));

    /// <summary>The sign-in this browser started, removed as it is read: a replayed redirect finds nothing.</summary>
    public PendingConsoleSignIn? TakeSignIn(HttpContext http)
    {
        var pending = Read<PendingConsoleSignIn>(http, SignInCookie, _signIns);
        http.Response.Cookies.Delete(SignInCookie, Options(SameSiteMode.Lax));
        return pending;
    }

    private static T? Read<T>(HttpContext http, string cookie, ITimeLimitedDataProtector protector) where T : class
    {
        if (http.Request.Cookies[cookie] is not { Length: > 0 and <= MaxCookieLength } value)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(protector.Unprotect(value));
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    private CookieOptions Options(SameSiteMode sameSite, TimeSpan? maxAge = null) => PageCookies.Options(links, WebLinks.ConsolePrefix, sameSite, maxAge);
}
