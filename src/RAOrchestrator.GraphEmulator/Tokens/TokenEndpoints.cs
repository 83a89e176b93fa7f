using System.Globalization;
using System.Text.Json.Nodes;
using RAOrchestrator.GraphEmulator.DeviceCode;
using RAOrchestrator.GraphEmulator.SignIn;
using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.GraphEmulator.Tokens;

/// <summary>
/// Entra ID endpoints: token (client credentials; authorization code for tenants, see <see cref="AuthorizationCodeGrant"/>),
/// OIDC discovery and JWKS, per tenant and for the partner issuer.
/// </summary>
public static class TokenEndpoints
{
    public static void MapTokenEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/{tenant}/oauth2/v2.0/token", IssueTokenAsync);
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", OpenIdConfiguration);
        app.MapGet("/{tenant}/.well-known/openid-configuration", OpenIdConfiguration);
        app.MapGet("/{tenant}/discovery/v2.0/keys", Keys);
        app.MapGet("/{tenant}/discovery/keys", Keys);
    }

    private static IResult OpenIdConfiguration(string tenant, EmulatorState state)
    {
        var isPartner = string.Equals(tenant, state.PartnerIssuer, StringComparison.OrdinalIgnoreCase);
        var t = isPartner ? null : state.FindTenant(tenant);
        if (!isPartner && t is null)
        {
            return EntraError(90002, tenant, state, null);
        }

        var id = isPartner ? state.PartnerIssuer : t!.Id;
        var b = state.BaseAddress;
        var doc = new JsonObject
        {
            ["issuer"] = isPartner ? TokenIssuer.PartnerIssuerUri(b, id) : TokenIssuer.TenantIssuerUri(b, id),
            ["token_endpoint"] = new Uri(b, $"{id}/oauth2/v2.0/token").ToString(),
            ["authorization_endpoint"] = new Uri(b, $"{id}/oauth2/v2.0/authorize").ToString(),
            ["jwks_uri"] = new Uri(b, $"{id}/discovery/v2.0/keys").ToString(),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "client_secret_basic"),
            ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
            ["response_modes_supported"] = new JsonArray("query", "fragment", "form_post"),
            ["subject_types_supported"] = new JsonArray("pairwise"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["scopes_supported"] = new JsonArray("openid", "profile", "email", "offline_access"),
            ["grant_types_supported"] = new JsonArray("authorization_code", "client_credentials", "refresh_token", DeviceCodeGrant.GrantType),
            ["device_authorization_endpoint"] = new Uri(b, $"{id}/oauth2/v2.0/devicecode").ToString(),
            ["claims_supported"] = new JsonArray("sub", "iss", "aud", "exp", "iat", "nbf", "azp", "tid", "roles", "partner_id",
                "nonce", "oid", "wids", "name", "preferred_username"),
            ["tenant_region_scope"] = "EU",
            ["cloud_instance_name"] = "microsoftonline.com",
        };
        return Results.Json(doc);
    }

    private static IResult Keys(string tenant, EmulatorState state, TokenIssuer issuer)
    {
        if (string.Equals(tenant, state.PartnerIssuer, StringComparison.OrdinalIgnoreCase))
        {
            return Results.Json(TokenIssuer.Jwks(issuer.PublishedPartnerKeys));
        }
        return state.FindTenant(tenant) is null && !string.Equals(tenant, "common", StringComparison.OrdinalIgnoreCase)
            ? EntraError(90002, tenant, state, null)
            : Results.Json(TokenIssuer.Jwks(issuer.GraphKey));
    }

    private static async Task<IResult> IssueTokenAsync(string tenant, HttpContext http, EmulatorState state, TokenIssuer issuer,
        GraphEmulatorOptions options, SignInStore store, DeviceCodeStore devices, RefreshTokenStore refresh)
    {
        var correlation = http.Request.Headers["client-request-id"].FirstOrDefault();
        if (!http.Request.HasFormContentType)
        {
            return EntraError(900144, tenant, state, correlation, EntraMessages.MissingParameter("grant_type"));
        }
        var form = await http.Request.ReadFormAsync();
        var clientId = form["client_id"].FirstOrDefault() ?? "";
        var secret = form["client_secret"].FirstOrDefault();
        var grant = form["grant_type"].FirstOrDefault();
        var scope = form["scope"].FirstOrDefault() ?? "";
        // client_secret_basic
        if (string.IsNullOrEmpty(secret) && http.Request.Headers.Authorization.FirstOrDefault() is { } auth &&
            auth.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var raw = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(auth[6..].Trim()));
            var colon = raw.IndexOf(':');
            if (colon > 0)
            {
                clientId = Uri.UnescapeDataString(raw[..colon]);
                secret = Uri.UnescapeDataString(raw[(colon + 1)..]);
            }
        }

        var isPartner = string.Equals(tenant, state.PartnerIssuer, StringComparison.OrdinalIgnoreCase);
        var t = isPartner ? null : state.FindTenant(tenant);
        if (!isPartner && t is null)
        {
            return EntraError(90002, tenant, state, correlation);
        }

        state.Counters.Update(isPartner ? state.PartnerIssuer : t!.Id, "POST /oauth2/v2.0/token", (c, e) =>
        {
            c.TokenRequests++;
            e!.Requests++;
        });

        if (!isPartner && state.Faults.HangsTokenRequest())
        {
            await Graph.GraphPipeline.HangAsync(http.RequestAborted);
            return Results.Empty;
        }

        if (grant is null)
        {
            return EntraError(900144, tenant, state, correlation, EntraMessages.MissingParameter("grant_type"));
        }
        if (grant is DeviceCodeGrant.GrantType or DeviceCodeGrant.ShortGrantType or "refresh_token")
        {
            // A user's grants, for a public client (the device code flow of a command line) or one presenting its secret.
            var directory = isPartner ? state.PartnerDirectory : t!;
            var userApp = state.FindSignInApp(directory, clientId);
            if (DeviceCodeGrant.RefuseClient(directory, userApp, clientId, secret, state, correlation) is { } refused)
            {
                return refused;
            }

            return grant == "refresh_token"
                ? DeviceCodeGrant.Refresh(form, directory, userApp!, state, issuer, refresh, options, correlation)
                : DeviceCodeGrant.Redeem(form, directory, userApp!, state, issuer, devices, refresh, options, correlation);
        }

        if (grant is not ("client_credentials" or "authorization_code"))
        {
            return EntraError(70003, tenant, state, correlation, $"The app requested an unsupported grant type '{grant}'.");
        }

        if (isPartner && grant == "authorization_code")
        {
            // A partner's staff member signing in to a partner app (the lobby console), like any Entra tenant's user.
            var partnerApp = state.FindSignInApp(state.PartnerDirectory, clientId);
            if (partnerApp is null)
            {
                return EntraError(700016, tenant, state, correlation, null, clientId, state.PartnerDirectory.DisplayName);
            }

            return string.Equals(partnerApp.ClientSecret, secret, StringComparison.Ordinal)
                ? AuthorizationCodeGrant.Redeem(form, state.PartnerDirectory, partnerApp, state, issuer, store, correlation)
                : EntraError(7000215, tenant, state, correlation, null, clientId);
        }

        if (isPartner)
        {
            PartnerClientData? client;
            lock (state.Sync)
            {
                client = state.PartnerClients.FirstOrDefault(p => string.Equals(p.ClientId, clientId, StringComparison.OrdinalIgnoreCase));
            }

            if (client is null)
            {
                return EntraError(700016, tenant, state, correlation, null, clientId);
            }

            if (!string.Equals(client.ClientSecret, secret, StringComparison.Ordinal))
            {
                return EntraError(7000215, tenant, state, correlation, null, clientId);
            }

            if (!string.Equals(scope, TokenIssuer.PartnerScope, StringComparison.OrdinalIgnoreCase))
            {
                return ScopeError(scope, tenant, state, correlation);
            }

            var lifetime = TimeSpan.FromHours(1);
            var token = issuer.MintPartnerToken(state.BaseAddress, state.PartnerIssuer, client.ClientId, client.PartnerId, client.Roles, lifetime);
            return TokenResponse(token, (int)lifetime.TotalSeconds);
        }

        var app = state.FindApp(clientId);
        if (app is null)
        {
            return EntraError(700016, tenant, state, correlation, null, clientId, t!.DisplayName);
        }

        if (!string.Equals(app.ClientSecret, secret, StringComparison.Ordinal))
        {
            return EntraError(7000215, tenant, state, correlation, null, clientId);
        }

        if (grant == "authorization_code")
        {
            return AuthorizationCodeGrant.Redeem(form, t!, app, state, issuer, store, correlation);
        }

        if (!IsGraphDefaultScope(scope))
        {
            return ScopeError(scope, tenant, state, correlation);
        }

        bool consented;
        List<string>? granted;
        lock (state.Sync)
        {
            consented = t!.ConsentedApps.Contains(app.ClientId);
            granted = t.AppPermissions.TryGetValue(app.ClientId, out var permissions) ? [.. permissions] : null;
        }

        if (!consented)
        {
            return EntraError(65001, tenant, state, correlation, null, app.ClientId, app.DisplayName);
        }

        var (access, expiresIn) = issuer.MintGraphToken(t!.Id, app.ClientId, options.GraphTokenLifetime, granted);
        return TokenResponse(access, expiresIn);
    }

    private static bool IsGraphDefaultScope(string scope) =>
        scope.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var s] &&
        (string.Equals(s, "https://graph.microsoft.com/.default", StringComparison.OrdinalIgnoreCase) ||
         string.Equals(s, "https://graph.microsoft.com//.default", StringComparison.OrdinalIgnoreCase) ||
         string.Equals(s, TokenIssuer.GraphAppId + "/.default", StringComparison.OrdinalIgnoreCase));

    private static IResult ScopeError(string scope, string tenant, EmulatorState state, string? correlation) =>
        scope.EndsWith("/.default", StringComparison.OrdinalIgnoreCase)
            ? EntraError(500011, tenant, state, correlation,
                $"The resource principal named {scope[..^"/.default".Length]} was not found in the tenant named {tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.")
            : EntraError(1002012, tenant, state, correlation,
                $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");

    private static IResult TokenResponse(string token, int expiresIn) => Results.Json(new JsonObject
    {
        ["token_type"] = "Bearer",
        ["expires_in"] = expiresIn,
        ["ext_expires_in"] = expiresIn,
        ["access_token"] = token,
    });

    /// <summary>An Entra ID (AADSTS) error response with the real shape.</summary>
    internal static IResult EntraError(int code, string tenant, EmulatorState state, string? correlationId,
        string? message = null, string? clientId = null, string? name = null)
    {
        var (status, error, text, suberror) = code switch
        {
            90002 => (400, "invalid_request", EntraMessages.TenantNotFound(tenant), null),
            65001 => (400, "invalid_grant",
                $"The user or administrator has not consented to use the application with ID '{clientId}' named '{name}'. Send an interactive authorization request for this user and resource.", "consent_required"),
            7000215 => (401, "invalid_client",
                $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.", null),
            700016 => (400, "unauthorized_client", EntraMessages.AppNotFound(clientId, name ?? tenant), null),
            70003 => (400, "unsupported_grant_type", message ?? "", null),
            70016 => (400, "authorization_pending", message ?? "", null),
            70017 => (400, "slow_down", message ?? "", null),
            70019 => (400, "expired_token", message ?? "", null),
            65004 => (400, "access_denied", message ?? "", null),
            7000218 => (401, "invalid_client", message ?? "", null),
            9002313 or 50057 => (400, "invalid_grant", message ?? "", null),
            70000 or 70008 or 54005 or 700005 or 500112 or 501481 => (400, "invalid_grant", message ?? "", null),
            500011 or 1002012 => (400, "invalid_scope", message ?? "", null),
            _ => (400, "invalid_request", message ?? "", (string?)null),
        };
        var d = Describe(code, text, correlationId, state);
        var body = new JsonObject
        {
            ["error"] = error,
            ["error_description"] = d.Description,
            ["error_codes"] = new JsonArray(code),
            ["timestamp"] = d.Timestamp,
            ["trace_id"] = d.TraceId,
            ["correlation_id"] = d.CorrelationId,
            ["error_uri"] = d.ErrorUri,
        };
        if (suberror is not null)
        {
            body["suberror"] = suberror;
        }

        return Results.Json(body, statusCode: status);
    }

    /// <summary>An AADSTS error description as Entra writes it: the message, then trace id, correlation id and timestamp.</summary>
    internal static EntraErrorDescription Describe(int code, string text, string? correlationId, EmulatorState state)
    {
        var trace = Guid.NewGuid().ToString();
        var correlation = correlationId ?? Guid.NewGuid().ToString();
        var timestamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new EntraErrorDescription(
            $"AADSTS{code}: {text}",
            $"AADSTS{code}: {text}\r\nTrace ID: {trace}\r\nCorrelation ID: {correlation}\r\nTimestamp: {timestamp}",
            trace, correlation, timestamp, new Uri(state.BaseAddress, $"error?code={code}").ToString());
    }
}

/// <summary>The parts of an AADSTS error: <c>Message</c> is "AADSTSnnnn: text", <c>Description</c> adds the trace lines.</summary>
public sealed record EntraErrorDescription(string Message, string Description, string TraceId, string CorrelationId, string Timestamp, string ErrorUri);
