using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.GraphEmulator.Tokens;

namespace RAOrchestrator.GraphEmulator.SignIn;

/// <summary>
/// <c>GET /{tenant}/oauth2/v2.0/authorize</c>: the authorization code flow with PKCE. Until the client and its redirect URI
/// are known good, errors are Entra's error page; after that they go back to the redirect URI. Success is the sign-in form.
/// Not Graph traffic: nothing here is counted or put in the Graph request log.
/// </summary>
public static class AuthorizeEndpoint
{
    private static readonly string[] Prompts = ["login", "consent", "admin_consent", "select_account", "none"];

    public static void MapSignInEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/{tenant}/oauth2/v2.0/authorize", Authorize);
        app.MapPost("/{tenant}/login", LoginEndpoint.SignInAsync).DisableAntiforgery();
    }

    private static IResult Authorize(string tenant, HttpContext http, EmulatorState state, SignInStore store)
    {
        var q = http.Request.Query;
        string? Param(string name) => q[name].FirstOrDefault() is { Length: > 0 } v ? v : null;

        var t = state.FindSignInDirectory(tenant);
        if (t is null)
        {
            return Page(90002, EntraMessages.TenantNotFound(tenant), state);
        }

        if (Param("client_id") is not { } clientId)
        {
            return Page(900144, EntraMessages.MissingParameter("client_id"), state);
        }

        var app = state.FindSignInApp(t, clientId);
        if (app is null)
        {
            return Page(700016, EntraMessages.AppNotFound(clientId, t.DisplayName), state);
        }
        if (Param("redirect_uri") is not { } redirectUri)
        {
            return Page(900144, EntraMessages.MissingParameter("redirect_uri"), state);
        }

        bool registered;
        lock (state.Sync)
        {
            registered = RedirectUris.IsRegistered(app, redirectUri);
        }

        if (!registered)
        {
            return Page(50011, $"The redirect URI '{redirectUri}' specified in the request does not match the redirect URIs configured for the application '{app.ClientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.", state);
        }

        // From here on the redirect URI is trusted: errors go back to the app.
        var appState = Param("state");
        IResult Back(string error, int code, string text) => SignInRedirect.Error(redirectUri, appState, error, code, text, state);

        if (Param("response_mode") is { } mode && mode != "query")
        {
            return Back("invalid_request", 90023, $"The response_mode '{mode}' is not supported. The emulator answers authorization code requests with response_mode 'query' only.");
        }
        if (Param("response_type") is not { } responseType)
        {
            return Back("invalid_request", 900144, EntraMessages.MissingParameter("response_type"));
        }

        if (responseType != "code")
        {
            return Back("unsupported_response_type", 70005, $"The response_type '{responseType}' is not supported; the emulator supports the authorization code flow (response_type=code) only.");
        }

        if (Param("scope") is not { } scope)
        {
            return Back("invalid_request", 900144, EntraMessages.MissingParameter("scope"));
        }

        if (!scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("openid"))
        {
            return Back("invalid_scope", 70011, $"The provided value for the input parameter 'scope' is not valid. The scope '{scope}' does not include 'openid'.");
        }
        if (Param("code_challenge") is not { } challenge)
        {
            return Back("invalid_request", 9002325, "Proof Key for Code Exchange is required for cross-origin authorization code redemption.");
        }
        var method = Param("code_challenge_method") ?? Pkce.Plain;
        if (!Pkce.IsSupportedMethod(method))
        {
            return Back("invalid_request", 90023, $"The code_challenge_method '{method}' is not supported. Supported values are 'S256' and 'plain'.");
        }
        var prompt = Param("prompt");
        if (prompt is not null && !Prompts.Contains(prompt))
        {
            return Back("invalid_request", 90023, $"Invalid prompt value '{prompt}'. Supported values are 'login', 'consent', 'admin_consent', 'select_account' and 'none'.");
        }
        if (prompt == "none")
        {
            // The emulator keeps no sign-in session, so a silent request never finds a signed-in user.
            return Back("login_required", 50058, "A silent sign-in request was sent but no user is signed in.");
        }

        var request = new AuthorizeRequest(t.Id, app.ClientId, redirectUri, scope, appState, Param("nonce"), challenge, method, prompt, Param("login_hint"));
        var id = store.AddPending(request);
        return SignInPages.SignIn(t.Id, t.DisplayName, app.DisplayName, id, request, request.LoginHint);
    }

    internal static HtmlPage Page(int code, string text, EmulatorState state) => SignInPages.Error(TokenEndpoints.Describe(code, text, null, state));
}
