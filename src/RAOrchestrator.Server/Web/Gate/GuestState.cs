using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Server.Web.Gate;

/// <summary>Where a guest's attempt stands, as the waiting view names it (and as its live updates send it).</summary>
public static class GuestState
{
    public const string Waiting = "waiting";
    public const string Admitted = "admitted";

    /// <summary>Every state the waiting view has a sentence for, in the order it renders them.</summary>
    public static readonly string[] All = [Waiting, Admitted, "denied", "removed", "timed-out", "left", "ended", "cancelled", "gone"];

    public static string Of(SessionView? session, string participantId)
    {
        var participant = session?.Participants.FirstOrDefault(p => p.Id == participantId);
        if (session is null || participant is null)
        {
            return "gone";
        }

        return session.Status switch
        {
            SessionStatus.Cancelled => "cancelled",
            SessionStatus.Ended => "ended",
            _ => participant.Status switch
            {
                ParticipantStatus.InLobby => Waiting,
                ParticipantStatus.Admitted => Admitted,
                ParticipantStatus.Denied => "denied",
                ParticipantStatus.Removed => "removed",
                ParticipantStatus.TimedOut => "timed-out",
                _ => "left",
            },
        };
    }

    public static bool IsFinal(string state) => state != Waiting;
}
