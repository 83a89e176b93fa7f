using System.Globalization;
using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Server.Web.Gate;

/// <summary>What a guest reads on the join page: the meeting, the form, the waiting view and each way it ends.</summary>
public static class GatePages
{
    public const string PhoneSentence = "You are on a phone: Teams mobile cannot join a Remote Assist session. Open this link on a computer with Teams desktop.";

    public static string Ask(GateSession gate, string? email, string csrf, bool phone) => $"""
        <h1>Join a Remote Assist session</h1>
        {Meeting(gate)}
        <p>You can join with <strong>Teams desktop</strong> on a computer, or with <strong>Remote Assist on HoloLens</strong>.
        Teams on the web, Teams mobile and phones cannot join.</p>
        {(phone ? $"<p class=\"error\" role=\"alert\">{Html.E(PhoneSentence)}</p>" : string.Empty)}
        <form method="post">
          <input type="hidden" name="csrf" value="{Html.E(csrf)}">
          <p><label for="name">Your name, as the host will see it</label><br>
          <input id="name" name="name" required maxlength="100" autocomplete="name"></p>
          {(email is null ? "<p><label for=\"email\">The email address you were invited at</label><br><input id=\"email\" name=\"email\" type=\"email\" required maxlength=\"254\" autocomplete=\"email\"></p>" : $"<p class=\"note\">Invited as {Html.E(email)}.</p>")}
          <div class="actions"><button type="submit" class="primary">Ask to join</button></div>
        </form>
        <p class="note">You will wait in the lobby until someone on the organizer's side lets you in.</p>
        """;

    /// <summary>The waiting view: every state's sentence is rendered, the current one shown; gate.js switches them live.</summary>
    public static string Waiting(GateSession gate, GateAttempt attempt, ParticipantView? participant, string state)
    {
        var session = Uri.EscapeDataString(gate.Name);
        var maxWait = Span(gate.View.Lobby.MaxLobbyWait);
        var organizer = Html.E(gate.View.Organizer.DisplayName);
        var again = $"<a href=\"{WebLinks.GatePath}?session={Html.E(session)}\">Ask to join again</a>";
        var sentences = new Dictionary<string, string>
        {
            [GuestState.Waiting] = $"""
                <p class="outcome">Waiting for the host to let you in.</p>
                <p>You have waited <span id="elapsed">{Elapsed(participant)}</span>. The host has up to {maxWait} to let you in.
                Keep this page open; it changes by itself.</p>
                """,
            [GuestState.Admitted] = $"<p class=\"outcome\">You are in. Opening Teams…</p><p><a href=\"{WebLinks.GatePath}/enter?session={Html.E(session)}\">Open the meeting in Teams desktop</a></p>",
            ["denied"] = $"<p class=\"outcome\">The host did not let you in.</p><p>If you think this is a mistake, contact the organizer, {organizer}.</p>",
            ["removed"] = $"<p class=\"outcome\">The host removed you from this session.</p><p>Contact the organizer, {organizer}, if you need to join again.</p>",
            ["timed-out"] = $"<p class=\"outcome\">Nobody let you in within {maxWait}.</p><p>{again}, or contact the organizer, {organizer}.</p>",
            ["left"] = $"<p class=\"outcome\">You left this session.</p><p>{again} to come back.</p>",
            ["ended"] = "<p class=\"outcome\">This session has ended.</p><p>Nothing more to do here; you can close this page.</p>",
            ["cancelled"] = $"<p class=\"outcome\">The organizer cancelled this session.</p><p>Contact {organizer} for a new invitation.</p>",
            ["gone"] = "<p class=\"outcome\">This request to join is no longer known.</p><p>Open the invitation link again.</p>",
        };
        var blocks = string.Concat(GuestState.All.Select(s => $"<section data-state=\"{s}\" role=\"status\"{(s == state ? string.Empty : " hidden")}>{sentences[s]}</section>"));
        var requested = participant?.RequestedAt.ToString("O", CultureInfo.InvariantCulture) ?? string.Empty;
        return $"""
            <h1>Join a Remote Assist session</h1>
            {Meeting(gate)}
            <p class="note">Asking as {Html.E(attempt.DisplayName)} ({Html.E(attempt.Email)}).</p>
            <div id="gate" data-events="{WebLinks.GatePath}/events?session={Html.E(session)}" data-enter="{WebLinks.GatePath}/enter?session={Html.E(session)}" data-requested="{Html.E(requested)}" data-state="{Html.E(state)}">
            {blocks}
            </div>
            <script src="/assets/gate.js"></script>
            """;
    }

    private static string Meeting(GateSession gate) => $"""
        <dl>
          <dt>Subject</dt><dd>{Html.E(gate.View.Subject)}</dd>
          <dt>Organizer</dt><dd>{Html.E(gate.View.Organizer.DisplayName)}</dd>
          <dt>Organization</dt><dd>{Html.E(gate.TenantName)}</dd>
          <dt>Time</dt><dd>{When(gate.View.Start)} to {When(gate.View.End)}</dd>
        </dl>
        """;

    private static string Elapsed(ParticipantView? participant)
    {
        var waited = participant is null ? TimeSpan.Zero : DateTimeOffset.UtcNow - participant.RequestedAt;
        return $"{(int)Math.Max(0, waited.TotalMinutes)} min {Math.Max(0, waited.Seconds)} s";
    }

    /// <summary>"15 minutes", "90 seconds": the session's maximum wait in words.</summary>
    private static string Span(TimeSpan span) => span.TotalSeconds % 60 == 0
        ? $"{(int)span.TotalMinutes} minute{(span.TotalMinutes == 1 ? string.Empty : "s")}"
        : $"{(int)span.TotalSeconds} seconds";

    private static string When(DateTimeOffset time) => Html.E(time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));

    /// <summary>A refusal of the join request, in words with what to do next; the domain's own message for the rest.</summary>
    public static string? Sentence(string reason) => reason switch
    {
        SessionReasons.ClientNotSupported => "This device cannot join: Teams mobile, Teams on the web and phones cannot join a Remote Assist session. Open the link on a computer with Teams desktop, or join from Remote Assist on HoloLens.",
        SessionReasons.InformationBarrier => "The organization's information barriers do not allow this call. Contact the organizer; their administrator decides.",
        SessionReasons.AnonymousJoinDisabled or SessionReasons.ExternalAccessBlocked => "This organization does not let guests like you join its meetings. Contact the organizer.",
        SessionReasons.SessionEnded or SessionReasons.ScheduleElapsed or SessionReasons.SessionWindowClosed => "This session has ended. Nothing more to do here.",
        SessionReasons.SessionCancelled => "The organizer cancelled this session. Contact them for a new invitation.",
        SessionReasons.AdmissionDenied => "The host already turned down this request. Contact the organizer if you think this is a mistake.",
        SessionReasons.ParticipantRemoved => "The host removed you from this session. Contact the organizer if you need to join again.",
        SessionReasons.JoinAttemptLimitReached or SessionReasons.AnonymousLobbyLimitReached or SessionReasons.ParticipantLimitReached => "Too many people are asking to join this session right now. Try again in a few minutes.",
        SessionReasons.RejoinProofRequired => "Your place cannot be confirmed without the link from your invitation. Open the invitation link again.",
        SessionReasons.TicketAlreadyUsed => "This way into the meeting was already used once. Open the invitation link again to ask to join.",
        SessionReasons.ParticipantNotAdmitted => "You are not admitted (any more). Open the invitation link again to ask to join.",
        SessionReasons.MeetingBeingReplaced => "The meeting is being moved to a new link. Wait a moment and reload this page.",
        _ => null,
    };
}
