using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RAOrchestrator.Server.Configuration;
using RAOrchestrator.Server.Security;

namespace RAOrchestrator.Server.Extensions;

public static class AuthExtensions
{
    /// <summary>
    /// Bearer tokens validated for issuer, audience, signature and lifetime. The handler only authenticates; the
    /// gRPC authorization interceptor decides, so refusals carry google.rpc details like every other error.
    /// </summary>
    public static WebApplicationBuilder AddPartnerAuthentication(this WebApplicationBuilder builder, AuthOptions auth)
    {
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.RequireHttpsMetadata = true;
            jwt.SaveToken = false;
            if (auth.TokenCacheCapacity > 0 && auth.TokenCacheMaxAge > TimeSpan.Zero)
            {
                jwt.TokenHandlers.Clear();
                jwt.TokenHandlers.Add(new ValidatedTokenCache(new JsonWebTokenHandler { MapInboundClaims = false }, TimeProvider.System, auth.TokenCacheCapacity, auth.TokenCacheMaxAge));
            }

            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidAudience = auth.Audience,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ValidateIssuerSigningKey = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.HmacSha256],
                NameClaimType = auth.PartnerClaim,
                RoleClaimType = auth.RolesClaim,
            };

            if (!string.IsNullOrWhiteSpace(auth.Authority))
            {
                jwt.Authority = auth.Authority;
                if (!string.IsNullOrWhiteSpace(auth.AuthorityCertificateThumbprint))
                {
                    jwt.BackchannelHttpHandler = PinnedHandler(auth.AuthorityCertificateThumbprint);
                }
            }
            else
            {
                ServerSettings.TryDecodeKey(auth.SigningKey!, out var key);
                jwt.TokenValidationParameters.ValidIssuer = auth.Issuer;
                jwt.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(key);
            }
        });
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>Trusts exactly one certificate (the local issuer's self-signed one) for fetching OpenID metadata.</summary>
    private static HttpMessageHandler PinnedHandler(string sha256Thumbprint) => new SocketsHttpHandler
    {
        SslOptions =
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && string.Equals(
                    Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())),
                    sha256Thumbprint.Replace(":", string.Empty, StringComparison.Ordinal),
                    StringComparison.OrdinalIgnoreCase),
        },
    };
}
