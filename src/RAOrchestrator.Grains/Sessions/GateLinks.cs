using System.Net;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Grains.Sessions;

/// <summary>The links and the invitation mail that send people to the partner's join page instead of to Teams.</summary>
public static class GateLinks
{
    /// <summary><c>{gate}?session={name}</c>, plus the address and its proof for one anonymous invitee.</summary>
    public static string For(string gateUrl, string sessionName, string? email = null, string? proof = null)
    {
        var link = $"{gateUrl}{(gateUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?')}session={Uri.EscapeDataString(sessionName)}";
        if (email is not null)
        {
            link += $"&email={Uri.EscapeDataString(email)}";
        }

        return proof is null ? link : $"{link}&proof={Uri.EscapeDataString(proof)}";
    }

    /// <summary>The invitation mail body (HTML, every value encoded).</summary>
    public static string InvitationHtml(string gateUrl, string sessionName, string subject, string organizer, DateTimeOffset start, DateTimeOffset end)
    {
        var link = WebUtility.HtmlEncode(For(gateUrl, sessionName));
        return $"""
            <p>{WebUtility.HtmlEncode(organizer)} invites you to a Dynamics 365 Remote Assist session: <b>{WebUtility.HtmlEncode(subject)}</b>,
            {start.UtcDateTime:yyyy-MM-dd HH:mm} to {end.UtcDateTime:yyyy-MM-dd HH:mm} UTC.</p>
            <p>Ask to join here: <a href="{link}">{link}</a>. You will wait in the lobby until the organizer's side admits you.</p>
            <p>Join from {WebUtility.HtmlEncode(ClientRules.AllowedClientsText)}; Teams mobile and Remote Assist mobile cannot join.</p>
            """;
    }
}
