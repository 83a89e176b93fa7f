using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.GraphEmulator.Tokens;

namespace RAOrchestrator.GraphEmulator.SignIn;

/// <summary>
/// <c>POST /{tenant}/login</c>: the sign-in form. Fields: <c>request</c> (the pending authorize request's id), <c>username</c>,
/// <c>password</c>, <c>consent</c> (checkbox, only offered for prompt=consent/admin_consent) and <c>action</c> (<c>accept</c> or
/// <c>cancel</c>). Everything about the authorize request comes from the server-side copy, never from the form.
/// </summary>
public static class LoginEndpoint
{
    internal static async Task<IResult> SignInAsync(string tenant, HttpContext http, EmulatorState state, SignInStore store, GraphEmulatorOptions options)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync() : FormCollection.Empty;
        string? Field(string name) => form[name].FirstOrDefault();

        var t = state.FindSignInDirectory(tenant);
        if (t is null)
        {
            return AuthorizeEndpoint.Page(90002, EntraMessages.TenantNotFound(tenant), state);
        }

        var requestId = Field("request") ?? "";
        var request = store.FindPending(requestId);
        if (request is null || request.TenantId != t.Id)
        {
            return Expired(state);
        }

        if (Field("action") == "cancel")
        {
            if (!store.RemovePending(requestId))
            {
                return Expired(state);
            }

            return SignInRedirect.Error(request.RedirectUri, request.State, "access_denied", 65004, "User declined to consent to access the app.", state);
        }

        var username = (Field("username") ?? "").Trim();
        var app = state.FindSignInApp(t, request.ClientId);
        IResult Again(int code, string text) =>
            SignInPages.SignIn(t.Id, t.DisplayName, app?.DisplayName ?? request.ClientId, requestId, request, username, $"{text} (AADSTS{code})");

        var (user, refusal) = UserCredentials.Check(state, t, username, Field("password"), options);
        if (user is null)
        {
            return Again(refusal!.Value.Code, refusal.Value.Text);
        }

        IReadOnlySet<Guid> roles;
        lock (state.Sync)
        {
            roles = t.RolesOf((string)user["id"]!);
        }

        // Admin consent in the same flow: only a Global or Privileged Role Administrator grants it for the whole tenant.
        if (request.AsksConsent && Field("consent") == "true" && DirectoryRoleIds.CanConsentForOrganization(roles))
        {
            lock (state.Sync)
            {
                t.ConsentedApps.Add(request.ClientId);
            }
        }
        if (!store.RemovePending(requestId))
        {
            return Expired(state);
        }

        var code = store.IssueCode(request, (string)user["id"]!);
        return SignInRedirect.Code(request, code, Guid.NewGuid().ToString());
    }

    private static HtmlPage Expired(EmulatorState state) =>
        AuthorizeEndpoint.Page(50089, "Flow token expired. Authentication failed. Have the user try signing in again with username-password.", state);
}
