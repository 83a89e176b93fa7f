using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RAOrchestrator.Testing;

/// <summary>Partner access tokens for hosts started with <see cref="TestServerSettings"/> (HMAC key, the API's audience).</summary>
public static class PartnerTokens
{
    public static string Create(byte[] signingKey, string issuer, string partnerId, string role = "RAOrchestrator.Write") =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = "api://raorchestrator",
            Subject = new ClaimsIdentity([new Claim("partner_id", partnerId), new Claim("roles", role)]),
            Expires = DateTime.UtcNow.AddHours(2),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(signingKey), SecurityAlgorithms.HmacSha256),
        });
}
