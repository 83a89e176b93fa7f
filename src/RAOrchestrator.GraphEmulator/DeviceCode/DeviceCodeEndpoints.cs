using System.Text.Json.Nodes;
using RAOrchestrator.GraphEmulator.SignIn;
using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.GraphEmulator.Tokens;
using static RAOrchestrator.GraphEmulator.Tokens.TokenEndpoints;

namespace RAOrchestrator.GraphEmulator.DeviceCode;

/// <summary>
/// The device code flow (RFC 8628) as Entra serves it: <c>POST /{tenant}/oauth2/v2.0/devicecode</c> starts one for a public
/// client, the person enters the user code and signs in at <c>/devicelogin</c>, and the client polls the token endpoint
/// (<see cref="DeviceCodeGrant"/>). Sign-in traffic: not counted as Graph requests.
/// </summary>
public static class DeviceCodeEndpoints
{
    public static void MapDeviceCodeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/{tenant}/oauth2/v2.0/devicecode", StartAsync);
        app.MapGet("/devicelogin", () => DeviceLoginPages.Form());
        app.MapPost("/devicelogin", SignInAsync).DisableAntiforgery();
    }

    /// <summary>The verification page's address, which the device code response tells the person to open.</summary>
    public static string VerificationUri(Uri baseAddress) => new Uri(baseAddress, "devicelogin").ToString();

    private static async Task<IResult> StartAsync(string tenant, HttpContext http, EmulatorState state, DeviceCodeStore devices, GraphEmulatorOptions options)
    {
        var correlation = http.Request.Headers["client-request-id"].FirstOrDefault();
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync() : FormCollection.Empty;
        var directory = state.FindSignInDirectory(tenant);
        if (directory is null)
        {
            return EntraError(90002, tenant, state, correlation);
        }

        if (form["client_id"].FirstOrDefault() is not { Length: > 0 } clientId)
        {
            return EntraError(900144, tenant, state, correlation, EntraMessages.MissingParameter("client_id"));
        }

        var app = state.FindSignInApp(directory, clientId);
        if (app is null)
        {
            return EntraError(700016, tenant, state, correlation, null, clientId, directory.DisplayName);
        }

        if (!app.AllowPublicClientFlows)
        {
            return EntraError(7000218, tenant, state, correlation, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'. The app does not allow public client flows.");
        }

        if (form["scope"].FirstOrDefault() is not { Length: > 0 } scope)
        {
            return EntraError(900144, tenant, state, correlation, EntraMessages.MissingParameter("scope"));
        }

        if (!DeviceCodeGrant.IsKnownResource(state, directory, scope))
        {
            return EntraError(500011, tenant, state, correlation,
                $"The resource principal named in the scope '{scope}' was not found in the tenant named {tenant}. Ask for {TokenIssuer.PartnerScope}.");
        }

        var (deviceCode, authorization) = devices.Issue(directory.Id, app.ClientId, scope, options.DeviceCodeLifetime);
        var verification = VerificationUri(state.BaseAddress);
        return Results.Json(new JsonObject
        {
            ["user_code"] = authorization.UserCode,
            ["device_code"] = deviceCode,
            ["verification_uri"] = verification,
            ["expires_in"] = (int)options.DeviceCodeLifetime.TotalSeconds,
            ["interval"] = Math.Max(1, (int)options.DeviceCodeInterval.TotalSeconds),
            ["message"] = $"To sign in, use a web browser to open the page {verification} and enter the code {authorization.UserCode} to authenticate.",
        });
    }

    private static async Task<IResult> SignInAsync(HttpContext http, EmulatorState state, DeviceCodeStore devices, GraphEmulatorOptions options)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync() : FormCollection.Empty;
        var code = (form["code"].FirstOrDefault() ?? "").Trim();
        var username = (form["username"].FirstOrDefault() ?? "").Trim();
        var authorization = devices.FindPending(code);
        if (authorization is null || state.FindSignInDirectory(authorization.TenantId) is not { } directory)
        {
            return DeviceLoginPages.Form(code, username, "That code didn't work. Check the code and try again. (AADSTS70018)");
        }

        var appName = state.FindSignInApp(directory, authorization.ClientId)?.DisplayName ?? authorization.ClientId;
        if (form["action"].FirstOrDefault() == "cancel")
        {
            devices.Decide(authorization, null);
            return DeviceLoginPages.Done(appName, approved: false);
        }

        var (user, refusal) = UserCredentials.Check(state, directory, username, form["password"].FirstOrDefault(), options);
        if (user is null)
        {
            return DeviceLoginPages.Form(code, username, $"{refusal!.Value.Text} (AADSTS{refusal.Value.Code})");
        }

        return devices.Decide(authorization, (string)user["id"]!)
            ? DeviceLoginPages.Done(appName, approved: true)
            : DeviceLoginPages.Form(code, username, "That code didn't work. Check the code and try again. (AADSTS70018)");
    }
}
