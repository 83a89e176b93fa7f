using System.Collections.Immutable;

namespace RAOrchestrator.Domain.Sessions;

/// <summary>
/// One scheduled Remote Assist session: the aggregate a session grain persists. Immutable; every rule is a method that
/// returns a <see cref="SessionStep{T}"/> with the next state, so the grain writes <c>step.State</c> when
/// <c>step.Events</c> is not empty and otherwise writes nothing. Deterministic: time and randomness are parameters.
/// Holds no delegates and no secrets (ticket tokens are kept as hashes; the invitation-proof key is derived by the host).
/// The rules live beside this file by concern: <c>SessionState.Scheduling.cs</c> (scheduling, invitations),
/// <c>.Counterparts.cs</c> (who may be met), <c>.Lobby.cs</c> (join, admit, deny, remove, leave), <c>.Tickets.cs</c>,
/// <c>.Clock.cs</c> (end, cancel, timeouts, the timeline) and <c>.Tx.cs</c> (how a rule builds its next state).
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.SessionState")]
public sealed partial record SessionState(
    [property: Id(0)] string Name,
    [property: Id(1)] string TenantId,
    [property: Id(2)] Principal Organizer,
    [property: Id(3)] string Subject,
    [property: Id(4)] DateTimeOffset Start,
    [property: Id(5)] DateTimeOffset End,
    [property: Id(6)] SessionStatus Status,
    [property: Id(7)] LobbySettings Lobby,
    [property: Id(8)] ImmutableArray<string> DelegatedAdmitters,
    [property: Id(9)] ImmutableDictionary<string, Invitation> Invitations,
    [property: Id(10)] ImmutableDictionary<string, Participant> Participants,
    [property: Id(11)] ImmutableDictionary<string, TicketRecord> Tickets,
    [property: Id(12)] ImmutableList<SessionEvent> Events,
    [property: Id(13)] OnlineMeeting Meeting,
    [property: Id(14)] SessionLimits Limits,
    [property: Id(15)] DateTimeOffset CreatedAt,
    [property: Id(16)] DateTimeOffset? ClosedAt,
    [property: Id(17)] string? CloseReason)
{
    /// <summary>
    /// Join entries so far by anonymous guests at addresses the session did not invite: at most
    /// <see cref="SessionLimits.MaxAnonymousLobbyEntries"/> a session (<c>ANONYMOUS_LOBBY_LIMIT_REACHED</c>).
    /// </summary>
    [Id(18)]
    public int AnonymousLobbyEntries { get; init; }

    /// <summary>
    /// Events dropped from the head of <see cref="Events"/> to keep the timeline within <see cref="SessionLimits.MaxEvents"/>:
    /// the oldest kept event has sequence <c>EventsDropped + 1</c>.
    /// </summary>
    [Id(19)]
    public long EventsDropped { get; init; }

    /// <summary>The last request ids of mutations and what each answered (<see cref="SessionRequests"/>); null: none yet.</summary>
    [Id(20)]
    public ImmutableList<ProcessedSessionRequest>? Requests { get; init; }

    /// <summary>
    /// Someone who knows the join URL (they redeemed a ticket) was removed or denied: the Teams meeting must be replaced
    /// before anyone else redeems a ticket (<see cref="SessionMeetings"/>).
    /// </summary>
    [Id(21)]
    public bool MeetingRotationDue { get; init; }

    /// <summary>The Teams meeting of a closed session was deleted (its URL no longer works).</summary>
    [Id(22)]
    public bool MeetingDeleted { get; init; }

    /// <summary>How many times the Teams meeting was replaced (part of the next meeting's idempotency key).</summary>
    [Id(23)]
    public int MeetingGeneration { get; init; }

    /// <summary>
    /// When the last stored change was made (set by the grain as it stores a step). Not part of a delta's header, so a
    /// step that changes only participants or the timeline stores no header (<see cref="SessionDelta"/>).
    /// </summary>
    [Id(24)]
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The newest event's sequence number (events are numbered 1, 2, 3, ... with no gaps).</summary>
    public long LastSequence => EventsDropped + Events.Count;

    /// <summary>The organizer or a delegated admitter: exempt from the participant cap and the anonymous budget.</summary>
    public bool IsOrganizerSide(string key) => Organizer.HasKey(key) || DelegatedAdmitters.Contains(key);

    /// <summary>The user ids of the delegated admitters (members of the session's tenant, keyed <c>user:{tenant}/{id}</c>).</summary>
    public IEnumerable<string> DelegatedAdmitterUserIds => DelegatedAdmitters.Select(key => key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..]);

    /// <summary>The user ids of the organizer and the delegated admitters: the people who may let others in.</summary>
    public IEnumerable<string> OrganizerSideUserIds => DelegatedAdmitterUserIds.Prepend(Organizer.UserId!).Distinct(StringComparer.Ordinal);

    /// <summary>People waiting in the lobby or admitted, not counting the organizer side (the participant cap counts these).</summary>
    public int ActiveParticipants => Participants.Values.Count(p => p.Status is ParticipantStatus.InLobby or ParticipantStatus.Admitted && !IsOrganizerSide(p.Id));

    public bool IsTerminal => SessionTransitions.IsTerminal(Status);

    /// <summary>Lobby waits, longest waiting first.</summary>
    public ImmutableArray<Participant> LobbyQueue =>
        [.. Participants.Values.Where(p => p.Status == ParticipantStatus.InLobby).OrderBy(p => p.RequestedAt).ThenBy(p => p.Id, StringComparer.Ordinal)];

    public ImmutableArray<Participant> Admitted =>
        [.. Participants.Values.Where(p => p.Status == ParticipantStatus.Admitted).OrderBy(p => p.Id, StringComparer.Ordinal)];

    public Participant? Find(string participantId) => Participants.GetValueOrDefault(participantId);

    // ------------------------------------------------------------------ shared by the rules

    private SessionRefusal? Closed() => Status switch
    {
        SessionStatus.Ended => SessionRefusal.Of(SessionReasons.SessionEnded, $"The session ended at {ClosedAt:O}."),
        SessionStatus.Cancelled => SessionRefusal.Of(SessionReasons.SessionCancelled, $"The session was cancelled at {ClosedAt:O}."),
        _ => null,
    };

    private SessionRefusal? AuthorizeOrganizerSide(SessionActor actor, string anonymousReason, string what)
    {
        if (actor.Kind == ActorKind.ManagingPartner && !string.IsNullOrEmpty(actor.PartnerId))
        {
            return null;
        }

        var p = actor.Principal;
        if (p is null || actor.Kind != ActorKind.Person)
        {
            return SessionRefusal.Of(SessionReasons.NotOrganizerSide, $"Only the organizer or a delegated admitter may {what}.");
        }

        if (p.Kind == PrincipalKind.Anonymous || p.Kind == PrincipalKind.DialIn)
        {
            return SessionRefusal.Of(anonymousReason, $"Anonymous participants cannot {what}; only the organizer or a delegated admitter may.");
        }

        return IsOrganizerSide(p.Key)
            ? null
            : SessionRefusal.Of(SessionReasons.NotOrganizerSide, $"'{p.DisplayName}' is neither the organizer nor a delegated admitter of this session and cannot {what}.");
    }

    private static SessionRefusal NotFound(string participantId) =>
        SessionRefusal.Of(SessionReasons.ParticipantNotFound, $"No participant '{participantId}' asked to join this session.");

    private SessionStep<T> Refuse<T>(SessionRefusal refusal) where T : class => new(this, null, refusal, []);

    private SessionStep<T> Unchanged<T>(T value) where T : class => new(this, value, null, []);
}
