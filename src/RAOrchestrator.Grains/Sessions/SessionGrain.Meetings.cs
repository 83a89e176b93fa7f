using Microsoft.Extensions.Logging;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Grains.Sessions;

/// <summary>
/// The Graph side of <see cref="SessionMeetings"/>: a meeting whose URL someone removed or denied knows is deleted and
/// replaced (a new meeting, a new URL, keyed by its generation so a retry makes no second one), and the meeting of a
/// closed session is deleted. Each step is done first at Graph (deleting what is already gone counts as done) and then
/// recorded, so a crash between the two repeats the Graph work harmlessly; until it is recorded the reminder keeps it due.
/// </summary>
public sealed partial class SessionGrain
{
    /// <summary>Does the Graph work the session owes; a Graph failure reaches the caller (who may retry) and the reminder tries again.</summary>
    private async Task SettleMeetingAsync()
    {
        if (Session is not { } s || !s.MeetingWorkDue())
        {
            return;
        }

        if (s.Meeting.MeetingId is { } old)
        {
            await directory.DeleteMeetingAsync(TenantId, s.Organizer.UserId!, old);
        }

        SessionState next;
        if (s.IsTerminal)
        {
            next = s.MeetingRetired();
        }
        else
        {
            var created = await directory.CreateOnlineMeetingAsync(TenantId, new MeetingRequest(
                s.Organizer.UserId!, s.Subject, s.Start, s.End, [], s.Meeting.TeamsLobby.Scope, s.Meeting.TeamsLobby.IsDialInBypassEnabled,
                s.NextMeetingKey(), string.Empty));
            next = s.MeetingReplaced(new OnlineMeeting(created.JoinUrl, created.OnlineMeetingId, s.Meeting.TeamsLobby));
        }

        await CommitAsync(new SessionStep<SessionState>(next, next, null, []), "meeting");
    }

    /// <summary>As <see cref="SettleMeetingAsync"/>, for the clock: a failure is logged and left to the next reminder.</summary>
    private async Task SettleMeetingQuietlyAsync()
    {
        try
        {
            await SettleMeetingAsync();
        }
        catch (OrchestratorException ex)
        {
            LogMeetingWorkFailed(ex, Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replacing or deleting the Teams meeting of {Session} failed; the reminder tries again")]
    private partial void LogMeetingWorkFailed(Exception exception, string session);
}
