using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RAOrchestrator.Telemetry.Tests.Infrastructure;

/// <summary>A writer's token for one partner, signed with the development key the host under test is given.</summary>
public sealed class PartnerTokens
{
    public const string Issuer = "https://issuer.test/raorchestrator-partners/v2.0";

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string SigningKeyBase64 => Convert.ToBase64String(_key);

    public string Writer(string partnerId) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = "api://raorchestrator",
        Subject = new ClaimsIdentity([new Claim("partner_id", partnerId), new Claim("roles", "RAOrchestrator.Write")]),
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(_key), SecurityAlgorithms.HmacSha256),
    });
}
