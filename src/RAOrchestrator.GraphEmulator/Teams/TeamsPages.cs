using System.Text;
using RAOrchestrator.GraphEmulator.SignIn;
using static System.Net.WebUtility;

namespace RAOrchestrator.GraphEmulator.Teams;

/// <summary>What a person sees on opening a Teams join URL, played by the emulator; everything echoed is HTML-encoded.</summary>
public static class TeamsPages
{
    private const string Title = "Microsoft Teams (emulated)";

    /// <summary>200: the person is in the meeting, as Teams desktop would show it.</summary>
    public static HtmlPage Joined(string? subject, string name, string? organizer, string? organization)
    {
        var b = new StringBuilder();
        b.Append("<h1>You joined ").Append(HtmlEncode(string.IsNullOrWhiteSpace(subject) ? "a Teams meeting" : subject))
            .Append(" as ").Append(HtmlEncode(name)).Append("</h1>\n");
        b.Append("<p id=\"client\">Opened in Teams desktop (emulated).</p>\n");
        b.Append("<dl>\n");
        if (!string.IsNullOrWhiteSpace(organizer))
        {
            b.Append("<dt>Organizer</dt><dd>").Append(HtmlEncode(organizer)).Append("</dd>\n");
        }

        if (!string.IsNullOrWhiteSpace(organization))
        {
            b.Append("<dt>Organization</dt><dd>").Append(HtmlEncode(organization)).Append("</dd>\n");
        }

        b.Append("</dl>\n");
        return new HtmlPage(HtmlPage.Document(Title, b.ToString()));
    }

    /// <summary>404: the meeting was deleted (session ended or cancelled), replaced by another with a new URL, or never existed.</summary>
    public static HtmlPage Gone() => Refusal(StatusCodes.Status404NotFound, "This meeting no longer exists",
        "The meeting has ended or was cancelled, or its link has been replaced by a new one. Ask the organizer for the current way in.");

    /// <summary>400: what was opened is not a Teams join URL, or the name given with it is not a name.</summary>
    public static HtmlPage NotALink(string why) => Refusal(StatusCodes.Status400BadRequest, "This is not a Teams meeting link", why);

    private static HtmlPage Refusal(int status, string heading, string sentence) =>
        new(HtmlPage.Document(Title, $"<h1>{HtmlEncode(heading)}</h1>\n<p role=\"alert\">{HtmlEncode(sentence)}</p>\n"), status);
}
