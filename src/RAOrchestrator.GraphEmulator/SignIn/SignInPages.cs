using System.Text;
using RAOrchestrator.GraphEmulator.Tokens;
using static System.Net.WebUtility;

namespace RAOrchestrator.GraphEmulator.SignIn;

/// <summary>The sign-in form and Entra's error page, as plain HTML; everything echoed is HTML-encoded.</summary>
public static class SignInPages
{
    /// <summary>The form posted to <c>/{tenant}/login</c>: username, password, the pending request's id, and consent when asked.</summary>
    public static HtmlPage SignIn(string tenantId, string tenantName, string appName, string requestId, AuthorizeRequest request,
        string? username, string? error = null)
    {
        var b = new StringBuilder();
        b.Append("<h1>Sign in</h1>\n");
        b.Append("<p>to continue to ").Append(HtmlEncode(appName)).Append(" (").Append(HtmlEncode(tenantName)).Append(")</p>\n");
        if (error is not null)
        {
            b.Append("<p id=\"error\" role=\"alert\">").Append(HtmlEncode(error)).Append("</p>\n");
        }

        b.Append("<form method=\"post\" action=\"/").Append(HtmlEncode(Uri.EscapeDataString(tenantId))).Append("/login\">\n");
        b.Append("<input type=\"hidden\" name=\"request\" value=\"").Append(HtmlEncode(requestId)).Append("\">\n");
        AppendCredentials(b, username);
        if (request.AsksConsent)
        {
            b.Append("<h2>Permissions requested</h2>\n<p>").Append(HtmlEncode(appName))
                .Append(" would like to sign you in and read your profile, and maintain access to data you have given it access to.</p>\n");
            b.Append("<p><input type=\"checkbox\" id=\"consent\" name=\"consent\" value=\"true\">");
            b.Append("<label for=\"consent\">Consent on behalf of your organization</label></p>\n");
            b.Append("<p><button type=\"submit\" name=\"action\" value=\"accept\">Accept</button> ");
            b.Append("<button type=\"submit\" name=\"action\" value=\"cancel\" formnovalidate>Cancel</button></p>\n");
        }
        else
        {
            b.Append("<p><button type=\"submit\" name=\"action\" value=\"accept\">Sign in</button> ");
            b.Append("<button type=\"submit\" name=\"action\" value=\"cancel\" formnovalidate>Cancel</button></p>\n");
        }
        b.Append("</form>\n");
        return new HtmlPage(HtmlPage.Document("Sign in to your account", b.ToString()));
    }

    /// <summary>The user name and password fields of a sign-in form.</summary>
    internal static void AppendCredentials(StringBuilder b, string? username)
    {
        b.Append("<p><label for=\"username\">Email, phone, or Skype</label><br>");
        b.Append("<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" required value=\"")
            .Append(HtmlEncode(username ?? "")).Append("\"></p>\n");
        b.Append("<p><label for=\"password\">Password</label><br>");
        b.Append("<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\"></p>\n");
    }

    /// <summary>Entra's error page, for errors that cannot go back to the app (e.g. its redirect URI is not registered).</summary>
    public static HtmlPage Error(EntraErrorDescription error)
    {
        var b = new StringBuilder();
        b.Append("<h1>Sign in</h1>\n<p>Sorry, but we\u2019re having trouble signing you in.</p>\n");
        b.Append("<p id=\"error\" role=\"alert\">").Append(HtmlEncode(error.Message)).Append("</p>\n");
        b.Append("<h2>Troubleshooting details</h2>\n<p>");
        b.Append("Request Id: ").Append(HtmlEncode(error.TraceId)).Append("<br>");
        b.Append("Correlation Id: ").Append(HtmlEncode(error.CorrelationId)).Append("<br>");
        b.Append("Timestamp: ").Append(HtmlEncode(error.Timestamp)).Append("</p>\n");
        return new HtmlPage(HtmlPage.Document("Sign in to your account", b.ToString()), StatusCodes.Status400BadRequest);
    }
}
