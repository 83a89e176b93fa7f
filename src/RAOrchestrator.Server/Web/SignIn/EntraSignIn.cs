using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using RAOrchestrator.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Tenants.Ownership;

namespace RAOrchestrator.Server.Web.SignIn;

/// <summary>
/// OpenID Connect sign-in of a customer tenant's user against that tenant's Entra authority, as the MSP app: the
/// authorization request (code flow, PKCE S256, nonce, consent prompt), the code redemption, and full validation of
/// the id token (signature against the tenant's published keys, the tenant's issuer, the app as audience, lifetime).
/// </summary>
public sealed partial class EntraSignIn : IDisposable
{
    private const int MaxCachedTenants = 1024;
    private readonly GraphOptions _graph;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<string, ConfigurationManager<OpenIdConnectConfiguration>> _metadata = new(StringComparer.OrdinalIgnoreCase);
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly ILogger<EntraSignIn> _logger;

    public EntraSignIn(GraphOptions graph, ILogger<EntraSignIn> logger)
    {
        _graph = graph;
        _logger = logger;
        _http = new HttpClient(Handler(graph.PinnedCertificateSha256)) { Timeout = TimeSpan.FromSeconds(30), MaxResponseContentBufferSize = 1024 * 1024 };
    }

    /// <summary>The sign-in authority's origin: where a page's sign-in form may send the browser (its CSP form-action).</summary>
    public string AuthorityOrigin => Uri.TryCreate(_graph.AuthorityHost, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : string.Empty;

    private string Authority(string tenantId) => $"{_graph.AuthorityHost.TrimEnd('/')}/{tenantId}";

    /// <summary>
    /// The URL that sends the browser to the tenant's sign-in page. <paramref name="prompt"/> "consent" (the approval
    /// page) lets a first-time administrator consent for the MSP app in the same visit; null signs in only.
    /// </summary>
    public string AuthorizeUrl(string tenantId, string redirectUri, string state, SignInSecrets secrets, string? prompt = "consent")
    {
        return OpenIdCodeFlow.AuthorizeUrl($"{Authority(tenantId)}/oauth2/v2.0/authorize", _graph.ClientId!, redirectUri, state, secrets, prompt);
    }

    /// <summary>Redeems the code for tokens and returns what the verified id token says of its user.</summary>
    public async Task<AdminIdentity> RedeemAsync(string tenantId, string code, string redirectUri, SignInSecrets secrets, CancellationToken cancellationToken)
    {
        var form = OpenIdCodeFlow.RedeemForm(_graph.ClientId!, code, redirectUri, secrets);
        AddClientCredential(form, tenantId);

        var idToken = await OpenIdCodeFlow.IdTokenAsync(_http, $"{Authority(tenantId)}/oauth2/v2.0/token", form, _logger, cancellationToken);
        return await ValidateAsync(tenantId, idToken);
    }

    /// <summary>Validates an id token issued by the tenant's authority to the MSP app; refuses anything else.</summary>
    public async Task<AdminIdentity> ValidateAsync(string tenantId, string idToken)
    {
        var parameters = OpenIdCodeFlow.IdTokenParameters(Metadata(tenantId), _graph.ClientId, [SecurityAlgorithms.RsaSha256]);
        var result = await _handler.ValidateTokenAsync(idToken, parameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            LogIdTokenRejected(tenantId, result.Exception?.GetType().Name);
            throw new OrchestratorException(ErrorKind.PermissionDenied, Reasons.SignInInvalid,
                "The sign-in's id token is not valid for this organization and app. Start the sign-in again from the page you came from.");
        }

        string Claim(string type) => jwt.TryGetClaim(type, out var c) ? c.Value : string.Empty;
        return new AdminIdentity(
            Claim("tid"),
            Claim("oid"),
            Claim("preferred_username"),
            Claim("name"),
            jwt.TryGetClaim("nonce", out var nonce) ? nonce.Value : null,
            [.. jwt.Claims.Where(c => c.Type == "wids").Select(c => c.Value)]);
    }

    private ConfigurationManager<OpenIdConnectConfiguration> Metadata(string tenantId)
    {
        if (_metadata.Count > MaxCachedTenants)
        {
            _metadata.Clear();
        }

        return _metadata.GetOrAdd(tenantId, t => new ConfigurationManager<OpenIdConnectConfiguration>(
            $"{Authority(t)}/v2.0/.well-known/openid-configuration", new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(_http) { RequireHttps = true }));
    }

    /// <summary>The MSP app proves itself with its secret, or with a client assertion signed by its certificate.</summary>
    private void AddClientCredential(Dictionary<string, string> form, string tenantId)
    {
        if (_graph.Credential == GraphCredentialKind.ClientCertificate && _graph.CertificatePath is { } path)
        {
            using var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, _graph.CertificatePassword);
            var now = DateTime.UtcNow;
            var assertion = _handler.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = _graph.ClientId,
                Audience = $"{Authority(tenantId)}/oauth2/v2.0/token",
                Subject = new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("sub", _graph.ClientId!), new System.Security.Claims.Claim("jti", Guid.NewGuid().ToString())]),
                IssuedAt = now,
                NotBefore = now,
                Expires = now.AddMinutes(5),
                SigningCredentials = new X509SigningCredentials(certificate, SecurityAlgorithms.RsaSha256),
            });
            form["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
            form["client_assertion"] = assertion;
            return;
        }

        form["client_secret"] = _graph.ClientSecret ?? string.Empty;
    }

    private static SocketsHttpHandler Handler(string? pinnedSha256) =>
        new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }.Trusting(pinnedSha256);

    public void Dispose() => _http.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "An id token for tenant {Tenant} was refused ({Failure})")]
    private partial void LogIdTokenRejected(string tenant, string? failure);
}
