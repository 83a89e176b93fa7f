namespace RAOrchestrator.Server.Configuration;

/// <summary>
/// How partner tokens are validated. Either Authority (an OpenID issuer whose discovery document and keys are
/// fetched, as in production and with the local emulator) or, for development only, Issuer + SigningKey.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The issuer URL; its /.well-known/openid-configuration is read for the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>SHA-256 thumbprint of the Authority's TLS certificate, to pin a self-signed local issuer.</summary>
    public string? AuthorityCertificateThumbprint { get; set; }

    /// <summary>Development only: the expected issuer of tokens signed with SigningKey.</summary>
    public string? Issuer { get; set; }

    /// <summary>Development only: a base64 HMAC key of at least 32 bytes.</summary>
    public string? SigningKey { get; set; }

    public string Audience { get; set; } = "api://raorchestrator";

    /// <summary>The claim that carries the partner id.</summary>
    public string PartnerClaim { get; set; } = "partner_id";

    /// <summary>The claim that carries roles (RAOrchestrator.Read, RAOrchestrator.Write).</summary>
    public string RolesClaim { get; set; } = "roles";

    /// <summary>How many validated tokens are remembered (0 validates every call in full); see <c>ValidatedTokenCache</c>.</summary>
    public int TokenCacheCapacity { get; set; } = 10_000;

    /// <summary>The longest a validated token is reused before it is validated again, even if it expires later.</summary>
    public TimeSpan TokenCacheMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The longest lifetime (exp - iat, or exp - nbf without iat) a token may have. A stolen token is only as dangerous
    /// as it is long-lived, and an issuer that mints day-long or year-long tokens is misconfigured or not the issuer.
    /// </summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromHours(24);
}
