using System.Collections.Immutable;

namespace RAOrchestrator.Domain.Sessions;

/// <summary>What happened. Never renumber.</summary>
public enum SessionEventKind : byte
{
    Scheduled = 1,
    Invited = 2,
    JoinedLobby = 3,
    Admitted = 4,
    Denied = 5,
    Removed = 6,
    Left = 7,
    TimedOut = 8,
    Released = 9,
    Started = 10,
    Ended = 11,
    Cancelled = 12,
    TicketIssued = 13,
    TicketRedeemed = 14,
}

/// <summary>
/// One entry of a session's timeline. <see cref="Sequence"/> starts at 1 and grows by exactly 1 per event, so a watcher
/// that saw N asks for "after N" and misses nothing.
/// </summary>
/// <param name="Subject">The participant or invitee key the event is about, if any.</param>
/// <param name="Actor">Who caused it (<see cref="SessionActor.Id"/>), or null when the rules did (bypass, timeout, schedule).</param>
/// <param name="Reason">An UPPER_SNAKE code: the lobby rule that admitted, <c>LOBBY_TIMEOUT</c>, <c>SESSION_ENDED</c>, ...</param>
[GenerateSerializer, Immutable, Alias("raorch.sessions.SessionEvent")]
public sealed record SessionEvent(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] SessionEventKind Kind,
    [property: Id(3)] string? Subject,
    [property: Id(4)] string? Actor,
    [property: Id(5)] string? Reason);

/// <summary>A page of the timeline for a resumable watcher.</summary>
/// <param name="LastSequence">The session's newest sequence number when the page was read.</param>
/// <param name="HasMore">More events follow the page; ask again after the page's last sequence.</param>
[GenerateSerializer, Immutable, Alias("raorch.sessions.SessionEventPage")]
public sealed record SessionEventPage(
    [property: Id(0)] ImmutableArray<SessionEvent> Events,
    [property: Id(1)] long LastSequence,
    [property: Id(2)] bool HasMore);
