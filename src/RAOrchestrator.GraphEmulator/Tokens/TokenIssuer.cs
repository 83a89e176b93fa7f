using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RAOrchestrator.GraphEmulator.Tokens;

/// <summary>The identity of a validated Graph access token.</summary>
public sealed record GraphCaller(string TenantId, string AppId);

/// <summary>Signs Graph and partner tokens with RSA keys generated at start, and validates Graph tokens.</summary>
public sealed class TokenIssuer : IDisposable
{
    public const string GraphAudience = "https://graph.microsoft.com";
    public const string GraphAppId = "00000003-0000-0000-c000-000000000000";
    public const string PartnerAudience = "api://raorchestrator";
    public const string PartnerScope = "api://raorchestrator/.default";

    /// <summary>Application permissions put in Graph tokens (informational: the emulator does not check them).</summary>
    public static readonly string[] GraphRoles =
    [
        "User.ReadWrite.All", "Directory.ReadWrite.All", "Group.Read.All", "Organization.Read.All",
        "Calendars.ReadWrite", "OnlineMeetings.ReadWrite.All",
    ];

    private readonly RSA _graphRsa = RSA.Create(2048);
    private readonly RSA _partnerRsa = RSA.Create(2048);
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly ConcurrentDictionary<string, (GraphCaller Caller, DateTimeOffset Expires)> _validated = new();
    private readonly TimeProvider _time;

    public TokenIssuer(TimeProvider time)
    {
        _time = time;
        GraphKey = new RsaSecurityKey(_graphRsa) { KeyId = "emulator-graph-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant() };
        PartnerKey = new RsaSecurityKey(_partnerRsa) { KeyId = "emulator-partner-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant() };
    }

    public RsaSecurityKey GraphKey { get; }
    public RsaSecurityKey PartnerKey { get; }

    public static string GraphIssuer(string tenantId) => $"https://sts.windows.net/{tenantId}/";

    public static string PartnerIssuerUri(Uri baseAddress, string issuerTenant) =>
        new Uri(baseAddress, $"{issuerTenant}/v2.0").ToString();

    public (string Token, int ExpiresIn) MintGraphToken(string tenantId, string appId, TimeSpan lifetime)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = GraphIssuer(tenantId),
            Audience = GraphAudience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(GraphKey, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["tid"] = tenantId,
                ["appid"] = appId,
                ["azp"] = appId,
                ["oid"] = StableGuid(tenantId + "/" + appId).ToString(),
                ["sub"] = StableGuid(tenantId + "/" + appId).ToString(),
                ["idtyp"] = "app",
                ["ver"] = "1.0",
                ["roles"] = GraphRoles.ToList(),
            },
        };
        return (_handler.CreateToken(descriptor), (int)lifetime.TotalSeconds);
    }

    public string MintPartnerToken(Uri baseAddress, string issuerTenant, string clientId, string partnerId,
        IEnumerable<string> roles, TimeSpan lifetime)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = PartnerIssuerUri(baseAddress, issuerTenant),
            Audience = PartnerAudience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(PartnerKey, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = clientId,
                ["azp"] = clientId,
                ["appid"] = clientId,
                ["tid"] = issuerTenant,
                ["partner_id"] = partnerId,
                ["roles"] = roles.ToList(),
                ["ver"] = "2.0",
            },
        };
        return _handler.CreateToken(descriptor);
    }

    /// <summary>Validates a Graph bearer token; returns null and a Graph-style message when it is not valid.</summary>
    public async Task<(GraphCaller? Caller, string? Error)> ValidateGraphTokenAsync(string? token)
    {
        if (string.IsNullOrEmpty(token)) return (null, "Access token is empty.");
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
        var caller = new GraphCaller(jwt.GetClaim("tid").Value, jwt.GetClaim("appid").Value);
        _validated[token] = (caller, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
        return (caller, null);
    }

    public static JsonObject Jwks(RsaSecurityKey key)
    {
        var p = key.Rsa.ExportParameters(false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = key.KeyId,
                ["n"] = Base64UrlEncoder.Encode(p.Modulus),
                ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            }),
        };
    }

    internal static Guid StableGuid(string s) => new(MD5.HashData(System.Text.Encoding.UTF8.GetBytes(s)));

    public void Dispose()
    {
        _graphRsa.Dispose();
        _partnerRsa.Dispose();
    }
}
