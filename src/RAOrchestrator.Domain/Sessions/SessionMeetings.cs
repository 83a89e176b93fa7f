namespace RAOrchestrator.Domain.Sessions;

/// <summary>
/// The Teams meeting behind a session after scheduling. Its join URL is a bearer secret (the Teams lobby lets everyone
/// in, see <see cref="LobbyPolicy.ForTeamsMeeting"/>), so: when someone who redeemed a ticket is removed or denied, the
/// meeting is replaced (<see cref="SessionState.MeetingRotationDue"/>; no ticket redeems until it is); when the session
/// closes, the meeting is deleted. The grain does the Graph work and then records it with these steps.
/// </summary>
public static class SessionMeetings
{
    /// <summary>Work the grain still owes Graph: a replacement while open, a deletion once closed.</summary>
    public static bool MeetingWorkDue(this SessionState s) =>
        s.IsTerminal ? !s.MeetingDeleted && s.Meeting.MeetingId is not null : s.MeetingRotationDue;

    /// <summary>The idempotency key of the meeting that replaces the current one.</summary>
    public static string NextMeetingKey(this SessionState s) => $"{s.Name}#meeting{s.MeetingGeneration + 1}";

    /// <summary>The session on <paramref name="next"/>, the meeting that replaced the old one (deleted by the grain).</summary>
    public static SessionState MeetingReplaced(this SessionState s, OnlineMeeting next) =>
        s with { Meeting = next, MeetingRotationDue = false, MeetingGeneration = s.MeetingGeneration + 1 };

    /// <summary>The closed session whose meeting was deleted.</summary>
    public static SessionState MeetingRetired(this SessionState s) => s with { MeetingDeleted = true };
}
