using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Server.Web.Console;

/// <summary>What an admitter reads on the lobby console: the sign-in form, and per session its lobby and its admitted people.</summary>
public static class ConsolePages
{
    public const string Script = "/assets/console.js";

    /// <summary>The sign-in page: the organization's account for organizers and admitters, and (when configured) the partner's staff sign-in.</summary>
    public static string SignIn(string tenant, bool staffSignIn = false) => $"""
        <h1>Lobby console</h1>
        <section aria-labelledby="org-heading">
        <h2 id="org-heading">I am the organizer or an admitter (my organization's account)</h2>
        <p>Sign in with your work account to let people in to the Remote Assist sessions you organize or admit for.</p>
        <form method="post" action="{WebLinks.ConsolePrefix}/sign-in">
          <label for="tenant">Your organization's tenant id</label>
          <input type="text" id="tenant" name="tenant" value="{Html.E(tenant)}" required maxlength="64" autocomplete="off" spellcheck="false" aria-describedby="tenant-note">
          <p id="tenant-note" class="note">The directory (tenant) id of your Microsoft 365 organization, as in the link your partner or administrator gave you.</p>
          <div class="actions"><button type="submit" class="primary">Sign in</button></div>
        </form>
        </section>
        {(staffSignIn ? StaffConsolePages.SignIn : string.Empty)}
        """;

    public static string Console(ConsoleUser user, IReadOnlyList<ConsoleLobby> sessions, DateTimeOffset now)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <h1>Lobby console</h1>
            <form method="post" action="{WebLinks.ConsolePrefix}/sign-out" class="actions">
              <p>Signed in as <strong>{Html.E(user.DisplayName)}</strong> ({Html.E(user.UserPrincipalName)}).</p>
              <input type="hidden" name="csrf" value="{Html.E(user.FormToken)}">
              <button type="submit" class="secondary">Sign out</button>
            </form>
            """);
        return html.Append(Sessions(sessions, user, now)).ToString();
    }

    /// <summary>
    /// The user's sessions, each with its lobby; the console's script asks the host for this list again once a session
    /// is scheduled, starts, ends or is cancelled (<c>data-fingerprint</c> says which list the page shows).
    /// </summary>
    public static string Sessions(IReadOnlyList<ConsoleLobby> sessions, ConsoleUser user, DateTimeOffset now)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture,
            $"<div id=\"sessions\" data-list=\"{WebLinks.ConsolePrefix}/sessions\" data-fingerprint=\"{ConsoleSessions.Fingerprint(sessions.Select(s => s.Session))}\">");
        if (sessions.Count == 0)
        {
            html.Append("<p id=\"no-sessions\">You have no upcoming or live sessions as organizer or delegated admitter.</p>");
        }

        foreach (var session in sessions)
        {
            html.Append(Lobby(session, user, now));
        }

        return html.Append("</div>").ToString();
    }

    /// <summary>
    /// One session's lobby and admitted people; the console's script replaces it as the session changes. A person the
    /// session would not admit now gets the sentence why instead of an Admit button (Deny stays).
    /// </summary>
    /// <param name="path">Where the lobby's feed and forms are (<c>{path}/lobby</c>, <c>{path}/participants</c>); by default the organizer's console's.</param>
    public static string Lobby(ConsoleLobby lobby, ConsoleUser user, DateTimeOffset now, string? path = null)
    {
        var session = lobby.Session;
        var id = ConsoleSessions.IdOf(session);
        // The staff console shows many tenants' sessions on one page: their anchors carry the tenant too.
        var anchor = path is null ? id : $"{user.TenantId}-{id}";
        path ??= $"{WebLinks.ConsolePrefix}/sessions/{id}";
        var waiting = session.Participants.Where(p => p.Status == ParticipantStatus.InLobby).OrderBy(p => p.RequestedAt).ToList();
        var admitted = session.Participants.Where(p => p.Status == ParticipantStatus.Admitted).OrderBy(p => p.AdmittedAt).ToList();
        // A closed session's lobby has no feed: the console's script stops watching it (the organizer's list then drops it).
        var feed = SessionTransitions.IsTerminal(session.Status) ? string.Empty : $" data-lobby=\"{Html.E(path)}/lobby\"";
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <section class="lobby" id="s-{Html.E(anchor)}" aria-labelledby="h-{Html.E(anchor)}"{feed} data-sequence="{session.LastSequence}">
            <h2 id="h-{Html.E(anchor)}">{Html.E(session.Subject)}</h2>
            <p class="note">{StatusText(session.Status)} · {When(session.Start)} to {When(session.End)} · organized by {Html.E(session.Organizer.DisplayName)}</p>
            <h3>Waiting in the lobby ({waiting.Count})</h3>
            """);
        html.Append(People(waiting, path, user, now, "Nobody is waiting.", p => AdmitOrWhyNot(p, lobby.Refusals)));
        html.Append(CultureInfo.InvariantCulture, $"<h3>Admitted ({admitted.Count})</h3>");
        html.Append(People(admitted, path, user, now, "Nobody has been admitted yet.", p => Button(p, "remove", "Remove", "secondary")));
        html.Append("</section>");
        return html.ToString();
    }

    private static string StatusText(SessionStatus status) => status switch
    {
        SessionStatus.Active => "Live",
        SessionStatus.Ended => "Ended",
        SessionStatus.Cancelled => "Cancelled",
        _ => "Upcoming",
    };

    /// <summary>Admit and Deny, or the session's reason it would refuse admission now and Deny (which the reason describes).</summary>
    private static string AdmitOrWhyNot(ParticipantView p, IReadOnlyDictionary<string, SessionRefusal> refusals)
    {
        if (!refusals.TryGetValue(p.Id, out var refusal))
        {
            return Button(p, "admit", "Admit", "primary") + Button(p, "deny", "Deny", "secondary");
        }

        var why = $"why-{Key(p.Id)}";
        return $"<p class=\"error\" id=\"{why}\" data-reason=\"{Html.E(refusal.Reason)}\">Cannot be admitted now. {Html.E(refusal.Message)}</p>"
            + Button(p, "deny", "Deny", "secondary", why);
    }

    private static string People(List<ParticipantView> people, string path, ConsoleUser user, DateTimeOffset now, string none, Func<ParticipantView, string> buttons)
    {
        if (people.Count == 0)
        {
            return $"<p class=\"note\">{Html.E(none)}</p>";
        }

        var html = new StringBuilder("<ul class=\"people\">");
        foreach (var p in people)
        {
            var since = p.Status == ParticipantStatus.InLobby ? p.RequestedAt : p.AdmittedAt ?? p.RequestedAt;
            html.Append(CultureInfo.InvariantCulture, $"""
                <li><div><strong>{Html.E(p.Person.DisplayName)}</strong> · {Html.E(p.Person.Email ?? "no address")} · {Client(p.Client)} · {Proof(p)} ·
                {(p.Status == ParticipantStatus.InLobby ? "waiting" : "admitted")} <span data-since="{since.UtcDateTime:O}">{Elapsed(now - since)}</span></div>
                <form method="post" action="{Html.E(path)}/participants">
                <input type="hidden" name="csrf" value="{Html.E(user.FormToken)}"><input type="hidden" name="participant" value="{Html.E(p.Id)}">
                {buttons(p)}</form></li>
                """);
        }

        return html.Append("</ul>").ToString();
    }

    private static string Button(ParticipantView p, string action, string label, string style, string? describedBy = null) =>
        $"<button type=\"submit\" name=\"action\" value=\"{action}\" class=\"{style}\" id=\"{action}-{Key(p.Id)}\" aria-label=\"{label} {Html.E(p.Person.DisplayName)}\"{(describedBy is null ? string.Empty : $" aria-describedby=\"{describedBy}\"")}>{label}</button>";

    /// <summary>A stable element id for a participant, so focus stays on its button when the lobby is redrawn.</summary>
    private static string Key(string participantId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(participantId)))[..12];

    private static string Client(ClientKind client) => client switch
    {
        ClientKind.RemoteAssistHoloLens => "Remote Assist on HoloLens",
        ClientKind.TeamsDesktop => "Teams desktop",
        ClientKind.TeamsMobile => "Teams mobile",
        ClientKind.RemoteAssistMobile => "Remote Assist mobile",
        ClientKind.TeamsWeb => "Teams on the web",
        ClientKind.Phone => "phone",
        _ => "unknown client",
    };

    private static string Proof(ParticipantView p) => p.InvitationVerified
        ? "invitation proof matched"
        : p.Invited ? "invited address, no matching proof" : "not invited";

    /// <summary>Minutes and seconds, as the console's script keeps counting them.</summary>
    public static string Elapsed(TimeSpan elapsed)
    {
        var seconds = Math.Max(0, (long)elapsed.TotalSeconds);
        return seconds < 60 ? $"{seconds} s" : $"{seconds / 60} min {seconds % 60} s";
    }

    private static string When(DateTimeOffset time) => Html.E(time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));

    /// <summary>
    /// Keeps the console live: waits on the host for each session's next change and redraws its lobby, waits on the host
    /// for the list of sessions to change (keeping the lobbies already shown, adding new ones, dropping closed ones), and
    /// counts waiting time.
    /// </summary>
    public const string ScriptSource = """
        "use strict";
        (function () {
          var watching = new Set();
          function elapsed(since) {
            var s = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 1000));
            return s < 60 ? s + " s" : Math.floor(s / 60) + " min " + (s % 60) + " s";
          }
          function tick() {
            document.querySelectorAll("[data-since]").forEach(function (e) { e.textContent = elapsed(e.dataset.since); });
          }
          function pause(ms) { return new Promise(function (ok) { setTimeout(ok, ms); }); }
          async function poll(url) {
            try {
              var response = await fetch(url, { credentials: "same-origin" });
              if (response.status === 204) { return null; }
              if (!response.ok) { await pause(5000); return null; }
              var template = document.createElement("template");
              template.innerHTML = await response.text();
              return template.content;
            } catch (e) { await pause(5000); return null; }
          }
          function focusedIn(element) {
            return document.activeElement && element.contains(document.activeElement) ? document.activeElement.id : null;
          }
          function refocus(id) { if (id && document.getElementById(id)) { document.getElementById(id).focus(); } }
          async function watch(section) {
            var id = section.id;
            if (watching.has(id)) { return; }
            watching.add(id);
            for (;;) {
              var content = await poll(section.dataset.lobby + "?after=" + encodeURIComponent(section.dataset.sequence));
              section = document.getElementById(id);
              if (!section) { watching.delete(id); return; }
              var next = content && content.querySelector("section.lobby");
              if (!next) { continue; }
              var focused = focusedIn(section);
              section.replaceWith(next);
              section = next;
              refocus(focused);
              tick();
              if (!next.dataset.lobby) { watching.delete(id); return; }
            }
          }
          async function list(container) {
            for (;;) {
              var content = await poll(container.dataset.list + "?shown=" + encodeURIComponent(container.dataset.fingerprint));
              var next = content && content.querySelector("#sessions");
              if (!next) { continue; }
              var focused = focusedIn(container);
              next.querySelectorAll("section.lobby").forEach(function (fresh) {
                var shown = document.getElementById(fresh.id);
                if (shown && container.contains(shown)) { fresh.replaceWith(shown); }
              });
              container.replaceWith(next);
              container = next;
              refocus(focused);
              container.querySelectorAll("section.lobby[data-lobby]").forEach(watch);
              tick();
            }
          }
          document.querySelectorAll("section.lobby[data-lobby]").forEach(watch);
          document.querySelectorAll("#sessions[data-list]").forEach(list);
          setInterval(tick, 1000);
        })();
        """;
}
