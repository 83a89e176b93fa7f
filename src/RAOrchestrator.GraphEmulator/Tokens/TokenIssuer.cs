using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RAOrchestrator.GraphEmulator.Tokens;

/// <summary>The identity of a validated Graph access token and the application permissions (<c>roles</c>) it carries.</summary>
public sealed record GraphCaller(string TenantId, string AppId, IReadOnlyList<string>? Roles = null)
{
    /// <summary>Whether the token carries one of <paramref name="permissions"/>.</summary>
    public bool HasAnyRole(params string[] permissions) =>
        Roles is { } roles && roles.Any(r => permissions.Contains(r, StringComparer.OrdinalIgnoreCase));
}

/// <summary>Signs Graph and partner tokens with RSA keys generated at start, and validates Graph tokens.</summary>
public sealed partial class TokenIssuer : IDisposable
{
    public const string GraphAudience = "https://graph.microsoft.com";
    public const string GraphAppId = "00000003-0000-0000-c000-000000000000";
    public const string PartnerAudience = "api://raorchestrator";
    public const string PartnerScope = "api://raorchestrator/.default";

    /// <summary>
    /// Application permissions put in Graph tokens of an app the tenant did not list in its <c>appPermissions</c>. Only the
    /// authentication-method resources check them (the others predate permission checks in the emulator).
    /// </summary>
    public static readonly string[] GraphRoles =
    [
        "User.ReadWrite.All", "Directory.ReadWrite.All", "Group.Read.All", "Organization.Read.All",
        "Calendars.ReadWrite", "OnlineMeetings.ReadWrite.All", "UserAuthMethod-TAP.ReadWrite.All", "Policy.Read.All",
    ];

    private readonly RSA _graphRsa = RSA.Create(2048);
    private readonly List<RSA> _partnerRsas = [RSA.Create(2048)];
    private readonly Lock _partnerKeysLock = new();
    private RsaSecurityKey[] _partnerKeys;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly ConcurrentDictionary<string, (GraphCaller Caller, DateTimeOffset Expires)> _validated = new();
    private readonly TimeProvider _time;

    public TokenIssuer(TimeProvider time)
    {
        _time = time;
        GraphKey = new RsaSecurityKey(_graphRsa) { KeyId = "emulator-graph-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant() };
        _partnerKeys = [NewPartnerKey(_partnerRsas[0])];
    }

    public RsaSecurityKey GraphKey { get; }
    /// <summary>The key partner tokens are signed with now (the newest).</summary>
    public RsaSecurityKey PartnerKey => Volatile.Read(ref _partnerKeys)[^1];

    /// <summary>Every partner key the issuer's metadata publishes: the current one and those it replaced, as during an Entra key rollover.</summary>
    public IReadOnlyList<RsaSecurityKey> PublishedPartnerKeys => Volatile.Read(ref _partnerKeys);

    /// <summary>Signs partner tokens with a new key from now on; the old ones stay published, so tokens already issued stay valid.</summary>
    public RsaSecurityKey RotatePartnerKey()
    {
        lock (_partnerKeysLock)
        {
            var rsa = RSA.Create(2048);
            _partnerRsas.Add(rsa);
            var key = NewPartnerKey(rsa);
            Volatile.Write(ref _partnerKeys, [.. _partnerKeys, key]);
            return key;
        }
    }

    private static RsaSecurityKey NewPartnerKey(RSA rsa) =>
        new(rsa) { KeyId = "emulator-partner-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant() };

    public static string GraphIssuer(string tenantId) => $"https://sts.windows.net/{tenantId}/";

    public static string PartnerIssuerUri(Uri baseAddress, string issuerTenant) => TenantIssuerUri(baseAddress, issuerTenant);

    public (string Token, int ExpiresIn) MintGraphToken(string tenantId, string appId, TimeSpan lifetime, IReadOnlyList<string>? roles = null) =>
        (Sign(GraphKey, GraphIssuer(tenantId), GraphAudience, lifetime, new Dictionary<string, object>
        {
            ["tid"] = tenantId,
            ["appid"] = appId,
            ["azp"] = appId,
            ["oid"] = StableGuid(tenantId + "/" + appId).ToString(),
            ["sub"] = StableGuid(tenantId + "/" + appId).ToString(),
            ["idtyp"] = "app",
            ["ver"] = "1.0",
            ["roles"] = (roles ?? GraphRoles).ToList(),
        }), (int)lifetime.TotalSeconds);

    public string MintPartnerToken(Uri baseAddress, string issuerTenant, string clientId, string partnerId,
        IEnumerable<string> roles, TimeSpan lifetime) =>
        Sign(PartnerKey, PartnerIssuerUri(baseAddress, issuerTenant), PartnerAudience, lifetime, new Dictionary<string, object>
        {
            ["sub"] = clientId,
            ["azp"] = clientId,
            ["appid"] = clientId,
            ["tid"] = issuerTenant,
            ["partner_id"] = partnerId,
            ["roles"] = roles.ToList(),
            ["ver"] = "2.0",
        });

    /// <summary>An RS256 JWT (with <c>kid</c>) issued now: iss, aud, iat, nbf, exp and the given claims.</summary>
    private string Sign(RsaSecurityKey key, string issuer, string audience, TimeSpan lifetime, Dictionary<string, object> claims)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
            Claims = claims,
        });
    }

    /// <summary>Validates a Graph bearer token; returns null and a Graph-style message when it is not valid.</summary>
    public async Task<(GraphCaller? Caller, string? Error)> ValidateGraphTokenAsync(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (null, "Access token is empty.");
        }

        var now = _time.GetUtcNow();
        if (_validated.TryGetValue(token, out var hit))
        {
            return hit.Expires > now ? (hit.Caller, null) : (null, "Lifetime validation failed, the token is expired.");
        }
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidAudience = GraphAudience,
            ValidateIssuer = false,
            IssuerSigningKey = GraphKey,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            LifetimeValidator = (nbf, exp, _, _) => exp is { } e && e > now.UtcDateTime,
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return (null, result.Exception is SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException
                ? "Lifetime validation failed, the token is expired."
                : result.Exception is SecurityTokenInvalidAudienceException
                    ? "Invalid audience."
                    : "Access token validation failure.");
        }
        var roles = jwt.TryGetPayloadValue<List<string>>("roles", out var r) ? r : [];
        var caller = new GraphCaller(jwt.GetClaim("tid").Value, jwt.GetClaim("appid").Value, roles);
        _validated[token] = (caller, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
        return (caller, null);
    }

    public static JsonObject Jwks(params IEnumerable<RsaSecurityKey> keys) => new()
    {
        ["keys"] = new JsonArray([.. keys.Select(Jwk)]),
    };

    private static JsonNode Jwk(RsaSecurityKey key)
    {
        var p = key.Rsa.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
        };
    }

    internal static Guid StableGuid(string s) => new(MD5.HashData(System.Text.Encoding.UTF8.GetBytes(s)));

    public void Dispose()
    {
        _graphRsa.Dispose();
        foreach (var rsa in _partnerRsas)
        {
            rsa.Dispose();
        }
    }
}
