using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using RAOrchestrator.GraphEmulator.SignIn;
using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.GraphEmulator.Tokens;
using static RAOrchestrator.GraphEmulator.Tokens.TokenEndpoints;

namespace RAOrchestrator.GraphEmulator.DeviceCode;

/// <summary>
/// The user grants of a public client at <c>POST /{tenant}/oauth2/v2.0/token</c>: <c>urn:ietf:params:oauth:grant-type:device_code</c>
/// (polled until the person approves at the verification page: <c>authorization_pending</c>, <c>slow_down</c>,
/// <c>expired_token</c>, <c>access_denied</c>) and <c>refresh_token</c>. Both answer Entra's shape: access, id and refresh
/// tokens and <c>client_info</c>. At the partner issuer the access token is for the RAOrchestrator API.
/// </summary>
public static class DeviceCodeGrant
{
    public const string GrantType = "urn:ietf:params:oauth:grant-type:device_code";

    /// <summary>The grant's short name, which Entra also accepts (MSAL sends it).</summary>
    public const string ShortGrantType = "device_code";

    /// <summary>The counters' endpoint of redeemed refresh tokens (besides the token endpoint's own count): how a test sees a silent refresh.</summary>
    public const string RefreshEndpoint = "POST /oauth2/v2.0/token grant_type=refresh_token";

    /// <summary>The client of a user grant: a sign-in app of the directory that allows public client flows, or presents its secret.</summary>
    internal static IResult? RefuseClient(TenantState directory, AppRegistrationData? app, string clientId, string? secret, EmulatorState state, string? correlation)
    {
        if (app is null)
        {
            return EntraError(700016, directory.Id, state, correlation, null, clientId, directory.DisplayName);
        }

        if (!app.AllowPublicClientFlows && !string.Equals(app.ClientSecret, secret, StringComparison.Ordinal))
        {
            return string.IsNullOrEmpty(secret)
                ? EntraError(7000218, directory.Id, state, correlation, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
                : EntraError(7000215, directory.Id, state, correlation, null, clientId);
        }

        return null;
    }

    internal static IResult Redeem(IFormCollection form, TenantState directory, AppRegistrationData app, EmulatorState state, TokenIssuer issuer,
        DeviceCodeStore devices, RefreshTokenStore refresh, GraphEmulatorOptions options, string? correlation)
    {
        if (form["device_code"].FirstOrDefault() is not { Length: > 0 } deviceCode)
        {
            return EntraError(900144, directory.Id, state, correlation, EntraMessages.MissingParameter("device_code"));
        }

        var (status, authorization) = devices.Poll(deviceCode, options.DeviceCodeInterval);
        if (authorization is not null && !string.Equals(authorization.ClientId, app.ClientId, StringComparison.OrdinalIgnoreCase))
        {
            status = DevicePoll.NotFound;
        }

        return status switch
        {
            DevicePoll.Pending => EntraError(70016, directory.Id, state, correlation, "OAuth 2.0 device flow error. Authorization is pending. Continue polling."),
            DevicePoll.SlowDown => EntraError(70017, directory.Id, state, correlation, "OAuth 2.0 device flow error. The client polled sooner than the interval. Slow down."),
            DevicePoll.Expired => EntraError(70019, directory.Id, state, correlation, "Verification code expired. The person did not sign in before the device code expired."),
            DevicePoll.Denied => EntraError(65004, directory.Id, state, correlation, "User declined to consent to access the app."),
            DevicePoll.Approved => Respond(directory, app, authorization!.UserId!, authorization.Scope, state, issuer, refresh, options, correlation),
            _ => EntraError(70000, directory.Id, state, correlation, "The provided value for the input parameter 'device_code' is not valid."),
        };
    }

    internal static IResult Refresh(IFormCollection form, TenantState directory, AppRegistrationData app, EmulatorState state, TokenIssuer issuer,
        RefreshTokenStore refresh, GraphEmulatorOptions options, string? correlation)
    {
        if (form["refresh_token"].FirstOrDefault() is not { Length: > 0 } token)
        {
            return EntraError(900144, directory.Id, state, correlation, EntraMessages.MissingParameter("refresh_token"));
        }

        var grant = refresh.Find(token);
        if (grant is null || !string.Equals(grant.TenantId, directory.Id, StringComparison.OrdinalIgnoreCase) ||
            !string.Equals(grant.ClientId, app.ClientId, StringComparison.OrdinalIgnoreCase))
        {
            return EntraError(9002313, directory.Id, state, correlation, "Invalid request. Request is malformed or invalid. The refresh token is not valid for this client and tenant.");
        }

        state.Counters.Update(directory.Id, RefreshEndpoint, (_, e) => e!.Requests++);
        return Respond(directory, app, grant.UserId, grant.Scope, state, issuer, refresh, options, correlation);
    }

    /// <summary>Whether a device code request's scopes name a resource the directory issues tokens for.</summary>
    internal static bool IsKnownResource(EmulatorState state, TenantState directory, string scope) =>
        !ReferenceEquals(directory, state.PartnerDirectory) ||
        scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(s => s.StartsWith(TokenIssuer.PartnerAudience + "/", StringComparison.OrdinalIgnoreCase));

    private static IResult Respond(TenantState directory, AppRegistrationData app, string userId, string scope, EmulatorState state, TokenIssuer issuer,
        RefreshTokenStore refresh, GraphEmulatorOptions options, string? correlation)
    {
        var user = SignedInUsers.Find(state, directory, userId, app.ClientId);
        if (user is null || !IsEnabled(state, directory, userId))
        {
            return EntraError(50057, directory.Id, state, correlation, "The user account is disabled or no longer exists.");
        }

        var partner = ReferenceEquals(directory, state.PartnerDirectory);
        var lifetime = options.UserTokenLifetime;
        var (idToken, graphToken, _) = issuer.MintSignInTokens(state.BaseAddress, directory.Id, app.ClientId, user, null, lifetime, partnerIssuer: partner);
        var access = partner ? issuer.MintPartnerUserToken(state.BaseAddress, directory.Id, app.ClientId, user, lifetime) : graphToken;
        var clientInfo = new JsonObject { ["uid"] = user.Id, ["utid"] = directory.Id };
        var expiresIn = (int)lifetime.TotalSeconds;
        return Results.Json(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["scope"] = GrantedScope(scope, partner),
            ["expires_in"] = expiresIn,
            ["ext_expires_in"] = expiresIn,
            ["access_token"] = access,
            ["refresh_token"] = refresh.Issue(directory.Id, app.ClientId, userId, scope),
            ["id_token"] = idToken,
            ["client_info"] = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(clientInfo.ToJsonString())),
        });
    }

    /// <summary>The resource scopes asked for (the API's at the partner issuer, else Graph's User.Read), without the OpenID ones.</summary>
    private static string GrantedScope(string requested, bool partner)
    {
        var resource = requested.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(s => s is not ("openid" or "profile" or "email" or "offline_access"));
        return string.Join(' ', partner ? resource : ["https://graph.microsoft.com/User.Read"]);
    }

    private static bool IsEnabled(EmulatorState state, TenantState directory, string userId)
    {
        lock (state.Sync)
        {
            return directory.FindUser(userId)?["accountEnabled"]?.GetValue<bool>() ?? true;
        }
    }
}
