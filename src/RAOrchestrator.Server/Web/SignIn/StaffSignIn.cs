using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using RAOrchestrator.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Server.Configuration;
using RAOrchestrator.Server.Security;

namespace RAOrchestrator.Server.Web.SignIn;

/// <summary>A managing partner's staff member, as a verified id token of the partner issuer names them.</summary>
public sealed record StaffIdentity(string PartnerId, PartnerRole Role, string UserId, string UserPrincipalName, string DisplayName);

/// <summary>
/// OpenID Connect sign-in of a partner's staff member at the partner issuer, the one that mints partner API tokens
/// (<c>Auth:Authority</c>), as the lobby console's client (<c>Web:StaffClientId</c>): authorization code with PKCE S256
/// and a nonce, endpoints and keys from the issuer's discovery document (over the pinned certificate when
/// <c>Auth:AuthorityCertificateThumbprint</c> is set), and the id token validated in full: signature against the
/// issuer's keys, the issuer, the console's client id as audience, lifetime, the nonce of this browser's sign-in, and
/// the partner claim and a role (<c>Auth:PartnerClaim</c>, <c>Auth:RolesClaim</c>) as partner tokens carry them.
/// </summary>
public sealed partial class StaffSignIn : IDisposable
{
    private readonly AuthOptions _auth;
    private readonly WebOptions _web;
    private readonly HttpClient _http;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _metadata;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly ILogger<StaffSignIn> _logger;

    public StaffSignIn(IOptions<AuthOptions> auth, WebOptions web, ILogger<StaffSignIn> logger)
    {
        _auth = auth.Value;
        _web = web;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }.Trusting(_auth.AuthorityCertificateThumbprint))
        {
            Timeout = TimeSpan.FromSeconds(30),
            MaxResponseContentBufferSize = 1024 * 1024,
        };
        if (!string.IsNullOrWhiteSpace(_auth.Authority) && !string.IsNullOrWhiteSpace(web.StaffClientId))
        {
            _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(
                _auth.Authority.TrimEnd('/') + "/.well-known/openid-configuration", new OpenIdConnectConfigurationRetriever(),
                new HttpDocumentRetriever(_http) { RequireHttps = true });
        }
    }

    /// <summary>Whether partners' staff can sign in here: an issuer (Auth:Authority) and the console's client id there.</summary>
    public bool Enabled => _metadata is not null;

    /// <summary>The issuer's origin: where the console's sign-in form may send the browser (its CSP form-action); empty when off.</summary>
    public string AuthorityOrigin => Enabled && Uri.TryCreate(_auth.Authority, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : string.Empty;

    /// <summary>The URL that sends the browser to the issuer's sign-in page (its discovery document's authorization endpoint).</summary>
    public async Task<string> AuthorizeUrlAsync(string redirectUri, string state, SignInSecrets secrets, CancellationToken cancellationToken)
    {
        var metadata = await MetadataAsync(cancellationToken);
        return OpenIdCodeFlow.AuthorizeUrl(metadata.AuthorizationEndpoint, _web.StaffClientId!, redirectUri, state, secrets);
    }

    /// <summary>Redeems the code at the issuer's token endpoint and returns the staff member its verified id token names.</summary>
    public async Task<StaffIdentity> RedeemAsync(string code, string redirectUri, SignInSecrets secrets, CancellationToken cancellationToken)
    {
        var metadata = await MetadataAsync(cancellationToken);
        var form = OpenIdCodeFlow.RedeemForm(_web.StaffClientId!, code, redirectUri, secrets);
        if (!string.IsNullOrEmpty(_web.StaffClientSecret))
        {
            form["client_secret"] = _web.StaffClientSecret;
        }

        var idToken = await OpenIdCodeFlow.IdTokenAsync(_http, metadata.TokenEndpoint, form, _logger, cancellationToken);
        return await ValidateAsync(idToken, secrets.Nonce);
    }

    /// <summary>
    /// Validates an id token of the partner issuer for the console and returns the staff member; refuses a token of
    /// another issuer or audience, an expired or unsigned one, one of another sign-in (nonce), and one that names no
    /// partner or no role.
    /// </summary>
    public async Task<StaffIdentity> ValidateAsync(string idToken, string expectedNonce)
    {
        if (_metadata is null)
        {
            throw Off();
        }

        var result = await _handler.ValidateTokenAsync(idToken, OpenIdCodeFlow.IdTokenParameters(_metadata, _web.StaffClientId, PartnerTokenValidator.AcceptedAlgorithms(_auth)));
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            LogIdTokenRejected(result.Exception?.GetType().Name);
            throw new OrchestratorException(ErrorKind.PermissionDenied, Reasons.SignInInvalid,
                "The sign-in's id token is not valid for the lobby console. Open the lobby console and sign in again.");
        }

        if (!jwt.TryGetClaim("nonce", out var nonce) || !FixedTimeEquals(nonce.Value, expectedNonce))
        {
            throw new OrchestratorException(ErrorKind.PermissionDenied, Reasons.SignInNonceMismatch,
                "This sign-in does not belong to this browser's sign-in. Open the lobby console and sign in again.");
        }

        var claims = PartnerClaims.From(result.ClaimsIdentity, _auth.PartnerClaim, _auth.RolesClaim);
        if (!claims.HasValidPartnerId)
        {
            throw new OrchestratorException(ErrorKind.PermissionDenied, Reasons.PartnerClaimMissing,
                "Your account does not belong to a managing partner's staff (its sign-in names no partner). Sign in with your organization's account instead, or ask your partner's administrator.");
        }

        if (claims.Caller is not { } caller)
        {
            throw new OrchestratorException(ErrorKind.PermissionDenied, Reasons.MissingRole,
                $"Your account has neither the {PartnerRoleNames.Read} nor the {PartnerRoleNames.Write} role for the lobby console. Ask your partner's administrator to assign one.");
        }

        string Claim(string type) => jwt.TryGetClaim(type, out var c) ? c.Value : string.Empty;
        var user = Claim("oid") is { Length: > 0 } oid ? oid : Claim("sub");
        return user.Length == 0
            ? throw new OrchestratorException(ErrorKind.PermissionDenied, Reasons.SignInInvalid, "The sign-in did not name its user.")
            : new StaffIdentity(caller.PartnerId, caller.Role, user, Claim("preferred_username"), Claim("name"));
    }

    private async Task<OpenIdConnectConfiguration> MetadataAsync(CancellationToken cancellationToken)
    {
        if (_metadata is null)
        {
            throw Off();
        }

        try
        {
            return await _metadata.GetConfigurationAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException)
        {
            LogMetadataFailed(ex);
            throw new OrchestratorException(ErrorKind.Unavailable, Reasons.Timeout, "The partners' sign-in service could not be reached. Try again in a moment.");
        }
    }

    private static OrchestratorException Off() => new(ErrorKind.FailedPrecondition, Reasons.SignInInvalid,
        "Partner staff cannot sign in to this lobby console: it has no client at the partners' sign-in service (Web:StaffClientId).");

    private static bool FixedTimeEquals(string a, string b) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    public void Dispose() => _http.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A partner staff member's id token was refused ({Failure})")]
    private partial void LogIdTokenRejected(string? failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the partner issuer's OpenID metadata for the lobby console's staff sign-in")]
    private partial void LogMetadataFailed(Exception exception);
}
