using System.Collections.Immutable;

namespace RAOrchestrator.Domain.Sessions;

/// <summary>The session's life: ending, cancelling, the clock (lobby timeouts and the schedule's end) and the timeline.</summary>
public sealed partial record SessionState
{
    /// <summary>Ends an active session: lobby waits are released, admitted participants leave. Organizer side only; idempotent.</summary>
    public SessionStep<CloseDecision> EndSession(SessionActor actor, DateTimeOffset now) => CloseBy(actor, now, SessionStatus.Ended);

    /// <summary>Cancels a session that has not started: lobby waits are released. Organizer side only; idempotent.</summary>
    public SessionStep<CloseDecision> Cancel(SessionActor actor, DateTimeOffset now) => CloseBy(actor, now, SessionStatus.Cancelled);

    /// <summary>Lobby waits whose deadline (request time + <see cref="LobbySettings.MaxLobbyWait"/>) is at or before <paramref name="now"/>, oldest first.</summary>
    public ImmutableArray<Participant> ExpiredWaits(DateTimeOffset now) =>
        [.. LobbyQueue.Where(p => p.LobbyDeadline(Lobby) <= now)];

    /// <summary>The next instant <see cref="Tick"/> would change something: the earliest lobby deadline or the schedule's hard end.</summary>
    public DateTimeOffset? NextDeadline
    {
        get
        {
            if (IsTerminal)
            {
                return null;
            }

            var hardEnd = End + Limits.Overrun;
            var lobby = Participants.Values.Select(p => p.LobbyDeadline(Lobby)).Where(d => d.HasValue).Min();
            return lobby is { } l && l < hardEnd ? l : hardEnd;
        }
    }

    /// <summary>
    /// Applies the clock: expired lobby waits end with <c>LOBBY_TIMEOUT</c>, and at <see cref="End"/> +
    /// <see cref="SessionLimits.Overrun"/> the session ends (<c>SCHEDULE_ELAPSED</c>). Idempotent for the same clock value,
    /// so a reminder delivered twice does no harm.
    /// </summary>
    public SessionStep<TickDecision> Tick(DateTimeOffset now)
    {
        if (IsTerminal)
        {
            return Unchanged(new TickDecision([], null, null));
        }

        var tx = new Tx(this);
        var timedOut = ImmutableArray.CreateBuilder<string>();
        foreach (var p in ExpiredWaits(now))
        {
            tx.SetStatus(p, ParticipantStatus.TimedOut, null, SessionReasons.LobbyTimeout, now);
            tx.Emit(now, SessionEventKind.TimedOut, p.Id, null, SessionReasons.LobbyTimeout);
            timedOut.Add(p.Id);
        }

        CloseDecision? closed = null;
        if (now >= End + Limits.Overrun)
        {
            closed = tx.Close(SessionStatus.Ended, null, SessionReasons.ScheduleElapsed, now);
        }

        return tx.Done(new TickDecision(timedOut.ToImmutable(), closed, tx.State.NextDeadline));
    }

    /// <summary>Events with a sequence greater than <paramref name="afterSequence"/>, at most <paramref name="max"/> (1..1000).</summary>
    public SessionEventPage EventsAfter(long afterSequence, int max = 100)
    {
        max = Math.Clamp(max, 1, 1000);
        var from = (int)Math.Clamp(afterSequence - EventsDropped, 0, Events.Count);
        var count = Math.Min(max, Events.Count - from);
        var page = count == 0 ? ImmutableArray<SessionEvent>.Empty : [.. Events.GetRange(from, count)];
        return new SessionEventPage(page, LastSequence, from + count < Events.Count);
    }

    private SessionStep<CloseDecision> CloseBy(SessionActor actor, DateTimeOffset now, SessionStatus to)
    {
        var refusal = AuthorizeOrganizerSide(actor, SessionReasons.AnonymousCannotAdmit, to == SessionStatus.Ended ? "end the session" : "cancel the session");
        if (refusal is not null)
        {
            return Refuse<CloseDecision>(refusal);
        }

        if (Status == to)
        {
            return Unchanged(new CloseDecision(Status, [], [], false));
        }

        if (IsTerminal)
        {
            return Refuse<CloseDecision>(Closed()!);
        }

        // Ending is for a session that started, cancelling for one that did not (Scheduled → Ended happens only by Tick).
        if (!SessionTransitions.IsLegal(Status, to) || (to == SessionStatus.Ended && Status == SessionStatus.Scheduled))
        {
            return Refuse<CloseDecision>(SessionRefusal.Of(SessionReasons.IllegalTransition,
                to == SessionStatus.Ended ? "The session has not started; cancel it instead of ending it." : "The session has started; end it instead of cancelling it."));
        }

        var tx = new Tx(this);
        var closed = tx.Close(to, actor.Id, to == SessionStatus.Ended ? SessionReasons.SessionEnded : SessionReasons.SessionCancelled, now);
        return tx.Done(closed);
    }
}
