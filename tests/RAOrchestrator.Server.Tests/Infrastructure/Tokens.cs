using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RAOrchestrator.Server.Tests.Infrastructure;

/// <summary>Partner tokens for tests, signed with the test host's development key or deliberately wrong.</summary>
public sealed class Tokens
{
    public const string Issuer = "https://issuer.test/raorchestrator-partners/v2.0";
    public const string Audience = "api://raorchestrator";
    public const string ReadRole = "RAOrchestrator.Read";
    public const string WriteRole = "RAOrchestrator.Write";

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string SigningKeyBase64 => Convert.ToBase64String(_key);

    public string For(string partnerId, params string[] roles) => Create(partnerId, roles);

    public string Writer(string partnerId) => Create(partnerId, [WriteRole]);

    public string Reader(string partnerId) => Create(partnerId, [ReadRole]);

    public string Create(
        string? partnerId,
        string[] roles,
        string issuer = Issuer,
        string audience = Audience,
        DateTime? expires = null,
        byte[]? key = null,
        TimeSpan? lifetime = null)
    {
        var claims = new List<Claim>();
        if (partnerId is not null)
        {
            claims.Add(new Claim("partner_id", partnerId));
        }

        claims.AddRange(roles.Select(r => new Claim("roles", r)));
        var expiry = expires ?? DateTime.UtcNow.AddMinutes(30);
        var issued = expiry - (lifetime ?? TimeSpan.FromHours(1));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = issued,
            IssuedAt = issued,
            Expires = expiry,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? _key), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>A validly signed writer's token with an exp but neither iat nor nbf: how long it was issued for is unknown.</summary>
    public string WithoutIssueTime(string partnerId) => new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        Subject = new ClaimsIdentity([new Claim("partner_id", partnerId), new Claim("roles", WriteRole)]),
        Expires = DateTime.UtcNow.AddMinutes(30),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(_key), SecurityAlgorithms.HmacSha256),
    });

    /// <summary>An unsigned token ("alg": "none") with otherwise valid claims.</summary>
    public static string Unsigned(string partnerId) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        Subject = new ClaimsIdentity([new Claim("partner_id", partnerId), new Claim("roles", WriteRole)]),
        Expires = DateTime.UtcNow.AddMinutes(30),
    });
}
