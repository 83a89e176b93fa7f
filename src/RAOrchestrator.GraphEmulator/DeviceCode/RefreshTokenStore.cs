using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace RAOrchestrator.GraphEmulator.DeviceCode;

/// <summary>What a refresh token stands for: a user's sign-in to one client at one tenant, for a scope.</summary>
public sealed record RefreshGrant(string TenantId, string ClientId, string UserId, string Scope, DateTimeOffset Expires);

/// <summary>Opaque refresh tokens in memory (Entra's last 90 days); a refreshed sign-in gets a new one and the old one stays valid.</summary>
public sealed class RefreshTokenStore(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    private readonly Lock _sync = new();
    private readonly Dictionary<string, RefreshGrant> _grants = new(StringComparer.Ordinal);

    public string Issue(string tenantId, string clientId, string userId, string scope)
    {
        var token = "emu-rt." + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(48));
        lock (_sync)
        {
            _grants[token] = new RefreshGrant(tenantId, clientId, userId, scope, time.GetUtcNow() + Lifetime);
        }

        return token;
    }

    /// <summary>The grant, or null when the token is unknown or expired.</summary>
    public RefreshGrant? Find(string token)
    {
        lock (_sync)
        {
            return _grants.TryGetValue(token, out var g) && g.Expires > time.GetUtcNow() ? g : null;
        }
    }
}
