using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace RAOrchestrator.GraphEmulator.SignIn;

/// <summary>An authorize request as the emulator accepted it; the sign-in form refers to it by id and never re-posts it.</summary>
public sealed record AuthorizeRequest(
    string TenantId,
    string ClientId,
    string RedirectUri,
    string Scope,
    string? State,
    string? Nonce,
    string CodeChallenge,
    string CodeChallengeMethod,
    string? Prompt,
    string? LoginHint)
{
    /// <summary>The sign-in page offers "Consent on behalf of your organization".</summary>
    public bool AsksConsent => Prompt is "consent" or "admin_consent";
}

/// <summary>An authorization code: what it was issued for, and whether it has been redeemed.</summary>
public sealed class IssuedCode(AuthorizeRequest request, string userId, DateTimeOffset expires)
{
    public AuthorizeRequest Request { get; } = request;
    public string UserId { get; } = userId;
    public DateTimeOffset Expires { get; } = expires;
    public bool Redeemed { get; internal set; }
}

public enum CodeStatus { NotFound, Valid, Expired, Redeemed }

/// <summary>
/// Pending authorize requests and authorization codes, in memory, under random ids, each for <see cref="Lifetime"/>.
/// A redeemed code is remembered until it would have expired, so its reuse is told apart from an unknown code.
/// </summary>
public sealed class SignInStore(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly Lock _sync = new();
    private readonly Dictionary<string, (AuthorizeRequest Request, DateTimeOffset Expires)> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IssuedCode> _codes = new(StringComparer.Ordinal);

    public string AddPending(AuthorizeRequest request)
    {
        var id = NewId();
        lock (_sync)
        {
            Purge();
            _pending[id] = (request, time.GetUtcNow() + Lifetime);
        }
        return id;
    }

    /// <summary>The pending request, or null when unknown or expired.</summary>
    public AuthorizeRequest? FindPending(string id)
    {
        lock (_sync)
        {
            return _pending.TryGetValue(id, out var p) && p.Expires > time.GetUtcNow() ? p.Request : null;
        }
    }

    /// <summary>Ends a pending request; false when it was already ended (e.g. a second post of the same form).</summary>
    public bool RemovePending(string id)
    {
        lock (_sync)
        {
            return _pending.Remove(id);
        }
    }

    public string IssueCode(AuthorizeRequest request, string userId)
    {
        var code = NewId();
        lock (_sync)
        {
            Purge();
            _codes[code] = new IssuedCode(request, userId, time.GetUtcNow() + Lifetime);
        }
        return code;
    }

    public (IssuedCode? Code, CodeStatus Status) FindCode(string code)
    {
        lock (_sync)
        {
            if (!_codes.TryGetValue(code, out var c))
            {
                return (null, CodeStatus.NotFound);
            }

            if (c.Redeemed)
            {
                return (c, CodeStatus.Redeemed);
            }

            return (c, c.Expires > time.GetUtcNow() ? CodeStatus.Valid : CodeStatus.Expired);
        }
    }

    /// <summary>Marks the code redeemed; false when another redemption got there first.</summary>
    public bool TryRedeem(IssuedCode code)
    {
        lock (_sync)
        {
            if (code.Redeemed)
            {
                return false;
            }

            code.Redeemed = true;
            return true;
        }
    }

    private void Purge()
    {
        var now = time.GetUtcNow();
        foreach (var (id, _) in _pending.Where(kv => kv.Value.Expires <= now).ToList())
        {
            _pending.Remove(id);
        }
        // Expired codes stay one more lifetime, so their late use still gets "expired" rather than "not valid".
        foreach (var (id, _) in _codes.Where(kv => kv.Value.Expires + Lifetime <= now).ToList())
        {
            _codes.Remove(id);
        }
    }

    private static string NewId() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
}
