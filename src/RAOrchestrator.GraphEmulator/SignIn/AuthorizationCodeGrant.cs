using System.Text.Json.Nodes;
using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.GraphEmulator.Tokens;
using static RAOrchestrator.GraphEmulator.Tokens.TokenEndpoints;

namespace RAOrchestrator.GraphEmulator.SignIn;

/// <summary>
/// <c>grant_type=authorization_code</c> at <c>POST /{tenant}/oauth2/v2.0/token</c>, after the client has authenticated:
/// the code must be this tenant's, this client's, unexpired and unused, with the same redirect URI and a matching PKCE verifier.
/// </summary>
public static class AuthorizationCodeGrant
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    internal static IResult Redeem(IFormCollection form, TenantState tenant, AppRegistrationData app, EmulatorState state,
        TokenIssuer issuer, SignInStore store, string? correlation)
    {
        string? Field(string name) => form[name].FirstOrDefault() is { Length: > 0 } v ? v : null;
        IResult Refuse(int code, string text) => EntraError(code, tenant.Id, state, correlation, text);

        if (Field("code") is not { } code)
        {
            return Refuse(900144, EntraMessages.MissingParameter("code"));
        }

        if (Field("redirect_uri") is not { } redirectUri)
        {
            return Refuse(900144, EntraMessages.MissingParameter("redirect_uri"));
        }

        var (issued, status) = store.FindCode(code);
        switch (status)
        {
            case CodeStatus.NotFound:
                return Refuse(70000, "The provided value for the 'code' parameter is not valid.");
            case CodeStatus.Redeemed:
                return Refuse(54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.");
            case CodeStatus.Expired:
                return Refuse(70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.");
        }
        var request = issued!.Request;
        if (!string.Equals(request.TenantId, tenant.Id, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(700005, "Provided Authorization Code is intended to use against other tenant, thus rejected.");
        }
        if (!string.Equals(request.ClientId, app.ClientId, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(70000, "The provided value for the 'code' parameter is not valid. The code was not issued to this client.");
        }
        if (!string.Equals(request.RedirectUri, redirectUri, StringComparison.Ordinal))
        {
            return Refuse(500112, $"The reply address '{redirectUri}' does not match the reply address '{request.RedirectUri}' provided when requesting Authorization code.");
        }
        if (Field("code_verifier") is not { } verifier)
        {
            return Refuse(900144, EntraMessages.MissingParameter("code_verifier"));
        }

        if (!Pkce.Verify(request.CodeChallenge, request.CodeChallengeMethod, verifier))
        {
            return Refuse(501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
        }

        var user = SignedInUsers.Find(state, tenant, issued.UserId, app.ClientId);
        if (user is null)
        {
            return Refuse(70000, "The provided value for the 'code' parameter is not valid. The user no longer exists.");
        }

        if (!store.TryRedeem(issued))
        {
            return Refuse(54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.");
        }

        var (idToken, accessToken, expiresIn) = issuer.MintSignInTokens(state.BaseAddress, tenant.Id, app.ClientId, user, request.Nonce, TokenLifetime,
            partnerIssuer: ReferenceEquals(tenant, state.PartnerDirectory));
        return Results.Json(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["scope"] = GrantedScope(request.Scope),
            ["expires_in"] = expiresIn,
            ["ext_expires_in"] = expiresIn,
            ["access_token"] = accessToken,
            ["id_token"] = idToken,
        });
    }

    /// <summary>The OpenID scopes asked for, and Graph's User.Read that the access token is for.</summary>
    private static string GrantedScope(string requested) =>
        string.Join(' ', requested.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s is "openid" or "profile" or "email")
            .Append("https://graph.microsoft.com/User.Read"));
}
