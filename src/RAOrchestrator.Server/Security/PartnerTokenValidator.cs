using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using RAOrchestrator.Server.Configuration;

namespace RAOrchestrator.Server.Security;

/// <summary>
/// Validates a partner bearer token in full: signature, issuer, audience, lifetime (30 s skew) and algorithm. Keys and
/// issuer come from the Authority's OpenID metadata (fetched over HTTPS, optionally pinned to one certificate, refreshed
/// every 12 h, and at once, at most every 5 min, when a token names a key the metadata lacks), or for development from
/// the configured Issuer and HMAC SigningKey.
/// </summary>
public sealed partial class PartnerTokenValidator
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _metadata;
    private readonly AuthOptions _auth;
    private readonly ILogger<PartnerTokenValidator> _logger;
    private long _validations;

    public PartnerTokenValidator(AuthOptions auth, ILogger<PartnerTokenValidator> logger)
    {
        _auth = auth;
        _logger = logger;
        _parameters = new TokenValidationParameters
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
        };

        if (!string.IsNullOrWhiteSpace(auth.Authority))
        {
            var backchannel = new HttpClient(MetadataHandler(auth.AuthorityCertificateThumbprint)) { Timeout = TimeSpan.FromMinutes(1), MaxResponseContentBufferSize = 10 * 1024 * 1024 };
            var address = auth.Authority.TrimEnd('/') + "/.well-known/openid-configuration";
            _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(address, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever(backchannel) { RequireHttps = true });
            _parameters.ConfigurationManager = _metadata;
        }
        else
        {
            ServerSettings.TryDecodeKey(auth.SigningKey!, out var key);
            _parameters.ValidIssuer = auth.Issuer;
            _parameters.IssuerSigningKey = new SymmetricSecurityKey(key);
        }
    }

    /// <summary>Full validations so far (cache misses), for tests and diagnostics.</summary>
    public long Validations => Interlocked.Read(ref _validations);

    /// <summary>The token's claims and expiry when it is valid; null when it is not (or the issuer's metadata cannot be read).</summary>
    public async Task<ValidatedPartnerToken?> ValidateAsync(string token)
    {
        Interlocked.Increment(ref _validations);
        TokenValidationResult result;
        try
        {
            // A copy per validation: the handler may record what it fetched on the parameters it is given.
            result = await _handler.ValidateTokenAsync(token, _parameters.Clone());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogValidationError(ex);
            return null;
        }

        if (result.IsValid)
        {
            return new ValidatedPartnerToken(PartnerClaims.From(result.ClaimsIdentity, _auth.PartnerClaim, _auth.RolesClaim), result.SecurityToken.ValidTo);
        }

        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // The issuer may have rolled its keys since the metadata was read: read it again (rate-limited by the manager).
            _metadata?.RequestRefresh();
        }

        return null;
    }

    /// <summary>Trusts exactly one certificate (the local issuer's self-signed one) when a thumbprint is configured.</summary>
    private static HttpMessageHandler MetadataHandler(string? sha256Thumbprint)
    {
        var handler = new SocketsHttpHandler();
        if (!string.IsNullOrWhiteSpace(sha256Thumbprint))
        {
            var pinned = sha256Thumbprint.Replace(":", string.Empty, StringComparison.Ordinal);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && string.Equals(Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())), pinned, StringComparison.OrdinalIgnoreCase);
        }

        return handler;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A partner token could not be validated (issuer metadata unreadable?)")]
    private partial void LogValidationError(Exception exception);
}

/// <summary>A token that passed validation: what it says about its caller, and when it expires (UTC).</summary>
public sealed record ValidatedPartnerToken(PartnerClaims Claims, DateTime ValidTo);
