using System.Text;
using RAOrchestrator.GraphEmulator.SignIn;
using static System.Net.WebUtility;

namespace RAOrchestrator.GraphEmulator.DeviceCode;

/// <summary>The device code verification page (Entra's microsoft.com/devicelogin): the code, then the usual sign-in fields.</summary>
public static class DeviceLoginPages
{
    /// <summary>The form posted to <c>/devicelogin</c>: <c>code</c>, <c>username</c>, <c>password</c>, <c>action</c> (accept or cancel).</summary>
    public static HtmlPage Form(string? code = null, string? username = null, string? error = null)
    {
        var b = new StringBuilder();
        b.Append("<h1>Enter code</h1>\n<p>Enter the code displayed on your app or device, then sign in.</p>\n");
        if (error is not null)
        {
            b.Append("<p id=\"error\" role=\"alert\">").Append(HtmlEncode(error)).Append("</p>\n");
        }

        b.Append("<form method=\"post\" action=\"/devicelogin\">\n");
        b.Append("<p><label for=\"code\">Code</label><br>");
        b.Append("<input type=\"text\" id=\"code\" name=\"code\" autocomplete=\"off\" required value=\"").Append(HtmlEncode(code ?? "")).Append("\"></p>\n");
        SignInPages.AppendCredentials(b, username);
        b.Append("<p><button type=\"submit\" name=\"action\" value=\"accept\">Sign in</button> ");
        b.Append("<button type=\"submit\" name=\"action\" value=\"cancel\" formnovalidate>Cancel</button></p>\n");
        b.Append("</form>\n");
        return new HtmlPage(HtmlPage.Document("Enter code", b.ToString()));
    }

    /// <summary>What the person sees once they have decided: the device goes on by itself.</summary>
    public static HtmlPage Done(string appName, bool approved)
    {
        var text = approved
            ? $"You have signed in to the {appName} application on your device. You may now close this window."
            : $"You have declined to sign in to the {appName} application on your device. You may now close this window.";
        return new HtmlPage(HtmlPage.Document(approved ? "Signed in" : "Sign-in declined", $"<h1>{(approved ? "Signed in" : "Declined")}</h1>\n<p id=\"result\">{HtmlEncode(text)}</p>\n"));
    }
}
