using Microsoft.AspNetCore.WebUtilities;
using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.GraphEmulator.Tokens;

namespace RAOrchestrator.GraphEmulator.SignIn;

/// <summary>Answers that go back to the app's (validated) redirect URI, with response_mode=query.</summary>
public static class SignInRedirect
{
    public static IResult Code(AuthorizeRequest request, string code, string sessionState) =>
        To(request.RedirectUri, new Dictionary<string, string?>
        {
            ["code"] = code,
            ["state"] = request.State,
            ["session_state"] = sessionState,
        });

    /// <summary><c>?error=…&amp;error_description=AADSTSnnnn: …&amp;error_uri=…&amp;state=…</c>, as Entra redirects errors.</summary>
    public static IResult Error(string redirectUri, string? state, string error, int code, string text, EmulatorState emulator)
    {
        var d = TokenEndpoints.Describe(code, text, null, emulator);
        return To(redirectUri, new Dictionary<string, string?>
        {
            ["error"] = error,
            ["error_description"] = d.Description,
            ["error_uri"] = d.ErrorUri,
            ["state"] = state,
        });
    }

    private static IResult To(string redirectUri, Dictionary<string, string?> query) =>
        Results.Redirect(QueryHelpers.AddQueryString(redirectUri, query.Where(kv => kv.Value is not null)));
}
