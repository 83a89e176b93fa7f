using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using RAOrchestrator.Domain.Tenants.Ownership;
using RAOrchestrator.Server.Security;
using RAOrchestrator.Server.Web.SignIn;

namespace RAOrchestrator.Server.Web.Console;

/// <summary>Who is signed in to the lobby console: a user of one tenant, and the token its forms must carry.</summary>
public sealed record ConsoleUser(string TenantId, string UserId, string UserPrincipalName, string DisplayName, string FormToken);

/// <summary>A console sign-in under way: the tenant it was started for, its state and the browser's binding.</summary>
public sealed record PendingConsoleSignIn(string TenantId, string State, string Binding);

/// <summary>A managing partner's staff member signed in to the console: its partner and role, and the token its forms must carry.</summary>
public sealed record StaffUser(string PartnerId, PartnerRole Role, string UserId, string UserPrincipalName, string DisplayName, string FormToken);

/// <summary>A partner staff sign-in under way: its state and the browser's binding.</summary>
public sealed record PendingStaffSignIn(string State, string Binding);

/// <summary>
/// The console's cookies, protected (encrypted and signed) by the host's data-protection keys, scoped to the console's
/// path, HttpOnly and SameSite: the signed-in user (bound to its user and tenant, 8 hours) and a sign-in under way
/// (10 minutes, taken once by the callback). A partner's staff member has cookies of its own, of another protector and
/// scoped to the staff console's path, so neither kind of cookie is ever read as the other.
/// </summary>
public sealed class ConsoleCookies(IDataProtectionProvider protection, WebLinks links)
{
    public const string UserCookie = "raorch-console";
    public const string SignInCookie = "raorch-console-signin";
    public const string StaffCookie = "raorch-console-staff";
    public const string StaffSignInCookie = "raorch-console-staff-signin";
    public static readonly TimeSpan UserLifetime = TimeSpan.FromHours(8);
    private static readonly TimeSpan SignInLifetime = TimeSpan.FromMinutes(10);
    private const int MaxCookieLength = 4096;

    // Lax, all of them: the browser arrives from the authority's redirect and must be recognised on the console that follows.
    private readonly Jar _users = new(UserCookie, WebLinks.ConsolePrefix, UserLifetime, Protector(protection, "raorch.console.user.v1"));
    private readonly Jar _signIns = new(SignInCookie, WebLinks.ConsolePrefix, SignInLifetime, Protector(protection, "raorch.console.signin.v1"));
    private readonly Jar _staff = new(StaffCookie, WebLinks.StaffConsolePrefix, UserLifetime, Protector(protection, "raorch.console.staff.v1"));
    private readonly Jar _staffSignIns = new(StaffSignInCookie, WebLinks.StaffConsolePrefix, SignInLifetime, Protector(protection, "raorch.console.staff-signin.v1"));

    public void SignIn(HttpContext http, TenantAdmin user) =>
        Write(http, _users, new ConsoleUser(user.TenantId, user.ObjectId, user.UserPrincipalName, user.DisplayName, SignInSecrets.Random()));

    public ConsoleUser? User(HttpContext http) => Read<ConsoleUser>(http, _users);

    public void SignOut(HttpContext http) => Delete(http, _users);

    public void BeginSignIn(HttpContext http, PendingConsoleSignIn pending) => Write(http, _signIns, pending);

    /// <summary>The sign-in this browser started, removed as it is read: a replayed redirect finds nothing.</summary>
    public PendingConsoleSignIn? TakeSignIn(HttpContext http) => Take<PendingConsoleSignIn>(http, _signIns);

    public void SignInStaff(HttpContext http, StaffIdentity staff) =>
        Write(http, _staff, new StaffUser(staff.PartnerId, staff.Role, staff.UserId, staff.UserPrincipalName, staff.DisplayName, SignInSecrets.Random()));

    public StaffUser? Staff(HttpContext http) => Read<StaffUser>(http, _staff);

    public void SignOutStaff(HttpContext http) => Delete(http, _staff);

    public void BeginStaffSignIn(HttpContext http, PendingStaffSignIn pending) => Write(http, _staffSignIns, pending);

    /// <summary>The staff sign-in this browser started, removed as it is read: a replayed redirect finds nothing.</summary>
    public PendingStaffSignIn? TakeStaffSignIn(HttpContext http) => Take<PendingStaffSignIn>(http, _staffSignIns);

    /// <summary>One kind of cookie: its name, path, lifetime and the protector only it is read with.</summary>
    private sealed record Jar(string Name, string Path, TimeSpan Lifetime, ITimeLimitedDataProtector Protector);

    private static ITimeLimitedDataProtector Protector(IDataProtectionProvider protection, string purpose) =>
        protection.CreateProtector(purpose).ToTimeLimitedDataProtector();

    private void Write<T>(HttpContext http, Jar jar, T value) =>
        http.Response.Cookies.Append(jar.Name, jar.Protector.Protect(JsonSerializer.Serialize(value), jar.Lifetime), Options(jar, jar.Lifetime));

    private void Delete(HttpContext http, Jar jar) => http.Response.Cookies.Delete(jar.Name, Options(jar));

    private T? Take<T>(HttpContext http, Jar jar) where T : class
    {
        var value = Read<T>(http, jar);
        Delete(http, jar);
        return value;
    }

    private static T? Read<T>(HttpContext http, Jar jar) where T : class
    {
        if (http.Request.Cookies[jar.Name] is not { Length: > 0 and <= MaxCookieLength } value)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(jar.Protector.Unprotect(value));
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    private CookieOptions Options(Jar jar, TimeSpan? maxAge = null) => PageCookies.Options(links, jar.Path, SameSiteMode.Lax, maxAge);
}
