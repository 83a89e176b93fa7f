using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using RAOrchestrator.Directory;
using RAOrchestrator.Server.Configuration;

namespace RAOrchestrator.Server.Security;

/// <summary>
/// Validates a partner bearer token in full: signature, issuer, audience, validity window (30 s skew), how long it was
/// issued for (at most <c>Auth:MaxTokenLifetime</c>) and algorithm. Keys and issuer come from the Authority's OpenID
/// metadata (fetched over HTTPS, optionally pinned to one certificate, refreshed every 12 h, and at once, at most every
/// 5 min, when a token names a key the metadata lacks), or for development from the configured Issuer and HMAC
/// SigningKey.
/// </summary>
/// <remarks>
/// With an Authority only asymmetric algorithms are accepted: an issuer signs with its private key and publishes the
/// public one, so a shared-secret (HS256) token can only come from someone else, e.g. one who "signs" with a published
/// public key as the HMAC secret, or from a symmetric key an issuer should never have published. HS256 is accepted only
/// in the development mode, where the SigningKey is the one key there is.
/// </remarks>
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
            ValidAlgorithms = AcceptedAlgorithms(auth),
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

    /// <summary>The signing algorithms a token may use: asymmetric ones with an Authority, HS256 only with the development SigningKey.</summary>
    public static IReadOnlyList<string> AcceptedAlgorithms(AuthOptions auth) => string.IsNullOrWhiteSpace(auth.Authority)
        ? [SecurityAlgorithms.HmacSha256]
        : [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256];

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
            return IssuedForTooLong(result) ? null : new ValidatedPartnerToken(PartnerClaims.From(result.ClaimsIdentity, _auth.PartnerClaim, _auth.RolesClaim), result.SecurityToken.ValidTo);
        }

        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // The issuer may have rolled its keys since the metadata was read: read it again (rate-limited by the manager).
            _metadata?.RequestRefresh();
        }

        return null;
    }

    /// <summary>Whether a valid token was issued for longer than Auth:MaxTokenLifetime, or cannot say for how long; logs why (never the token).</summary>
    private bool IssuedForTooLong(TokenValidationResult result)
    {
        var partner = result.ClaimsIdentity.FindFirst(_auth.PartnerClaim)?.Value;
        switch (result.SecurityToken is JsonWebToken token ? TokenLifetime.Of(token) : null)
        {
            case null:
                LogNoIssueTime(partner);
                return true;
            case { } lifetime when lifetime > _auth.MaxTokenLifetime:
                LogTooLong(partner, lifetime, _auth.MaxTokenLifetime);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Trusts exactly one certificate (the local issuer's self-signed one) when a thumbprint is configured.</summary>
    private static HttpMessageHandler MetadataHandler(string? sha256Thumbprint) => new SocketsHttpHandler().Trusting(sha256Thumbprint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A partner token of partner {PartnerId} was refused: it was issued for {Lifetime}, longer than Auth:MaxTokenLifetime ({MaxTokenLifetime})")]
    private partial void LogTooLong(string? partnerId, TimeSpan lifetime, TimeSpan maxTokenLifetime);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A partner token of partner {PartnerId} was refused: it has neither iat nor nbf, so its lifetime cannot be checked against Auth:MaxTokenLifetime")]
    private partial void LogNoIssueTime(string? partnerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A partner token could not be validated (issuer metadata unreadable?)")]
    private partial void LogValidationError(Exception exception);
}

/// <summary>A token that passed validation: what it says about its caller, and when it expires (UTC).</summary>
public sealed record ValidatedPartnerToken(PartnerClaims Claims, DateTime ValidTo);
