using System.Text.Json;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Server.Web.SignIn;

/// <summary>
/// The OpenID Connect authorization code flow both sign-ins use (a tenant's user at Entra, a partner's staff member at
/// the partner issuer): the authorization request (code, PKCE S256, nonce, query response), the code redemption at the
/// token endpoint, and how the id token is validated. Refusals and failures become person-facing refusals.
/// </summary>
public static partial class OpenIdCodeFlow
{
    /// <summary>The authorize endpoint's URL for this sign-in; <paramref name="prompt"/> is added when not null.</summary>
    public static string AuthorizeUrl(string authorizeEndpoint, string clientId, string redirectUri, string state, SignInSecrets secrets, string? prompt = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["response_type"] = "code",
            ["redirect_uri"] = redirectUri,
            ["response_mode"] = "query",
            ["scope"] = Scope,
            ["state"] = state,
            ["nonce"] = secrets.Nonce,
            ["code_challenge"] = secrets.Challenge,
            ["code_challenge_method"] = "S256",
        };
        if (prompt is not null)
        {
            query["prompt"] = prompt;
        }

        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(authorizeEndpoint, query);
    }

    /// <summary>The token request that redeems <paramref name="code"/> with this browser's PKCE verifier; the client's credential is added by the caller.</summary>
    public static Dictionary<string, string> RedeemForm(string clientId, string code, string redirectUri, SignInSecrets secrets) => new()
    {
        ["grant_type"] = "authorization_code",
        ["client_id"] = clientId,
        ["code"] = code,
        ["redirect_uri"] = redirectUri,
        ["code_verifier"] = secrets.Verifier,
        ["scope"] = Scope,
    };

    /// <summary>
    /// How an id token is validated: signed (with one of <paramref name="algorithms"/>) by a key the issuer's metadata
    /// publishes, by that issuer, for <paramref name="audience"/>, and within its lifetime (2 minutes of skew).
    /// </summary>
    public static TokenValidationParameters IdTokenParameters(ConfigurationManager<OpenIdConnectConfiguration> metadata, string? audience, IEnumerable<string> algorithms) => new()
    {
        ConfigurationManager = metadata,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidAudience = audience,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidateIssuerSigningKey = true,
        ClockSkew = TimeSpan.FromMinutes(2),
        ValidAlgorithms = algorithms,
    };

    private const string Scope = "openid profile";

    public static async Task<string> IdTokenAsync(HttpClient http, string tokenEndpoint, Dictionary<string, string> form, ILogger logger, CancellationToken cancellationToken)
    {
        string? idToken;
        try
        {
            using var response = await http.PostAsync(tokenEndpoint, new FormUrlEncodedContent(form), cancellationToken);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            if (!response.IsSuccessStatusCode)
            {
                var error = body.RootElement.TryGetProperty("error_description", out var d) ? d.GetString() : null;
                LogRedemptionRefused(logger, tokenEndpoint, (int)response.StatusCode, error);
                throw new OrchestratorException(ErrorKind.PermissionDenied, Reasons.SignInInvalid,
                    "The sign-in could not be completed (the code was refused). Start the sign-in again from the page you came from.");
            }

            idToken = body.RootElement.TryGetProperty("id_token", out var t) ? t.GetString() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            LogRedemptionFailed(logger, ex, tokenEndpoint);
            throw new OrchestratorException(ErrorKind.Unavailable, Reasons.Timeout, "The sign-in service could not be reached. Try again in a moment.");
        }

        return string.IsNullOrEmpty(idToken)
            ? throw new OrchestratorException(ErrorKind.PermissionDenied, Reasons.SignInInvalid, "The sign-in returned no id token.")
            : idToken;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The token endpoint {Endpoint} refused a sign-in's code ({Status}): {Error}")]
    private static partial void LogRedemptionRefused(ILogger logger, string endpoint, int status, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not redeem a sign-in's code at {Endpoint}")]
    private static partial void LogRedemptionFailed(ILogger logger, Exception exception, string endpoint);
}
