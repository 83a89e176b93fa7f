using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Server.Configuration;

namespace RAOrchestrator.Server.Security;

/// <summary>
/// <c>RAOrchestrator.Server dev-token PARTNER [read|write]</c>: prints a partner token signed with the development key
/// from configuration (Auth:SigningKey). Refuses when the service is configured with a real issuer (Auth:Authority).
/// </summary>
public static class DevTokenCommand
{
    public const string Name = "dev-token";

    public static int Run(string[] args, IConfiguration configuration)
    {
        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (args.Length is < 2 or > 3 || !PartnerId.IsValid(args[1]) || args.Length == 3 && args[2] is not ("read" or "write"))
        {
            Console.Error.WriteLine("usage: dev-token PARTNER_ID [read|write]   (PARTNER_ID: lower-case letters, digits, '-')");
            return 2;
        }

        if (!string.IsNullOrWhiteSpace(auth.Authority) || string.IsNullOrWhiteSpace(auth.SigningKey) || string.IsNullOrWhiteSpace(auth.Issuer)
            || !ServerSettings.TryDecodeKey(auth.SigningKey, out var key) || key.Length < 32)
        {
            Console.Error.WriteLine("dev-token needs Auth:Issuer and Auth:SigningKey (development mode); with Auth:Authority, get tokens from that issuer.");
            return 2;
        }

        var role = args.Length == 3 && args[2] == "read" ? PartnerRoleNames.Read : PartnerRoleNames.Write;
        var now = DateTime.UtcNow;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            Subject = new ClaimsIdentity([new Claim(auth.PartnerClaim, args[1]), new Claim(auth.RolesClaim, role)]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(8),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
        Console.WriteLine(token);
        return 0;
    }
}
