using System.Collections.Immutable;

namespace RAOrchestrator.Domain.Sessions;

/// <summary>Where a session is in its life. Never renumber. Legal moves: <see cref="SessionTransitions"/>.</summary>
public enum SessionStatus : byte
{
    Scheduled = 1,
    Active = 2,
    Ended = 3,
    Cancelled = 4,
}

public static class SessionTransitions
{
    /// <summary>
    /// Scheduled → Active (first admission), Scheduled → Cancelled (organizer side), Scheduled → Ended (only when the
    /// schedule elapses with nobody admitted), Active → Ended. Ended and Cancelled are final.
    /// </summary>
    public static bool IsLegal(SessionStatus from, SessionStatus to) => (from, to) switch
    {
        (SessionStatus.Scheduled, SessionStatus.Active) => true,
        (SessionStatus.Scheduled, SessionStatus.Cancelled) => true,
        (SessionStatus.Scheduled, SessionStatus.Ended) => true,
        (SessionStatus.Active, SessionStatus.Ended) => true,
        _ => false,
    };

    public static bool IsTerminal(SessionStatus status) => status is SessionStatus.Ended or SessionStatus.Cancelled;
}

/// <summary>Where one participant is. Never renumber.</summary>
public enum ParticipantStatus : byte
{
    InLobby = 1,
    Admitted = 2,
    Denied = 3,
    Removed = 4,
    Left = 5,
    TimedOut = 6,
    Released = 7,
}

/// <summary>One invitee of a session.</summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.Invitation")]
public sealed record Invitation(
    [property: Id(0)] string Key,
    [property: Id(1)] Principal Invitee,
    [property: Id(2)] DateTimeOffset InvitedAt,
    [property: Id(3)] string InvitedBy);

/// <summary>
/// Someone who asked to join. <see cref="Id"/> is the principal key, so asking again finds the same participant.
/// <see cref="Attempt"/> counts join attempts (a participant who left or timed out may ask again, up to the limit).
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.Participant")]
public sealed record Participant(
    [property: Id(0)] string Id,
    [property: Id(1)] Principal Principal,
    [property: Id(2)] ClientKind Client,
    [property: Id(3)] ParticipantStatus Status,
    [property: Id(4)] bool Invited,
    [property: Id(5)] bool InvitationVerified,
    [property: Id(6)] DateTimeOffset RequestedAt,
    [property: Id(7)] DateTimeOffset? AdmittedAt,
    [property: Id(8)] string? DecidedBy,
    [property: Id(9)] string? StatusReason,
    [property: Id(10)] DateTimeOffset StatusAt,
    [property: Id(11)] int Attempt,
    [property: Id(12)] int ExtraTickets)
{
    /// <summary>When a lobby wait ends with <c>LOBBY_TIMEOUT</c>; null when not in the lobby.</summary>
    public DateTimeOffset? LobbyDeadline(LobbySettings lobby) => Status == ParticipantStatus.InLobby ? RequestedAt + lobby.MaxLobbyWait : null;
}

/// <summary>The Teams meeting behind a session, created by the grain through Graph before <see cref="SessionState.Schedule"/>.</summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.OnlineMeeting")]
public sealed record OnlineMeeting(
    [property: Id(0)] string JoinUrl,
    [property: Id(1)] string? MeetingId,
    [property: Id(2)] TeamsLobbySettings TeamsLobby);

/// <summary>A request to schedule a session. <see cref="Start"/>/<see cref="End"/> null or <see cref="IsMeetNow"/> = an ad-hoc meeting.</summary>
/// <param name="Lobby">The session's lobby rules; null takes the organizer's Teams policy (AutoAdmittedUsers, PSTN bypass).</param>
[GenerateSerializer, Immutable, Alias("raorch.sessions.ScheduleRequest")]
public sealed record ScheduleRequest(
    [property: Id(0)] string SessionName,
    [property: Id(1)] string Subject,
    [property: Id(2)] DateTimeOffset? Start,
    [property: Id(3)] DateTimeOffset? End,
    [property: Id(4)] bool IsMeetNow,
    [property: Id(5)] ImmutableArray<Principal> Invitees,
    [property: Id(6)] ImmutableArray<Principal> DelegatedAdmitters,
    [property: Id(7)] LobbySettings? Lobby);

/// <summary>A request to join: who, from which app, and for an anonymous guest optionally its invitation proof.</summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.JoinRequest")]
public sealed record JoinRequest(
    [property: Id(0)] Principal Who,
    [property: Id(1)] ClientKind Client,
    [property: Id(2)] string? InvitationProof);

/// <summary>The answer to a join request that was not refused: in the lobby or admitted (with a ticket when newly admitted).</summary>
/// <param name="Existing">True when the participant was already waiting or admitted and nothing changed.</param>
/// <param name="Rule">The lobby rule that decided (<see cref="LobbyVerdict.Rule"/>).</param>
[GenerateSerializer, Immutable, Alias("raorch.sessions.JoinDecision")]
public sealed record JoinDecision(
    [property: Id(0)] Participant Participant,
    [property: Id(1)] JoinTicket? Ticket,
    [property: Id(2)] bool Existing,
    [property: Id(3)] string Rule,
    [property: Id(4)] DateTimeOffset? LobbyDeadline)
{
    public bool Admitted => Participant.Status == ParticipantStatus.Admitted;

    public bool InLobby => Participant.Status == ParticipantStatus.InLobby;
}

/// <summary>The answer to admit, deny, remove or leave: the participant after the change; <see cref="Changed"/> false when it was already so.</summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.ParticipantChange")]
public sealed record ParticipantChange(
    [property: Id(0)] Participant Participant,
    [property: Id(1)] JoinTicket? Ticket,
    [property: Id(2)] bool Changed);

/// <summary>
/// Whether admitting one lobby wait now would be refused (<see cref="SessionState.PreviewAdmissions"/>): null
/// <see cref="Refusal"/> means Admit would let it in; otherwise the refusal Admit would answer.
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.AdmissionCheck")]
public sealed record AdmissionCheck(
    [property: Id(0)] string ParticipantId,
    [property: Id(1)] SessionRefusal? Refusal)
{
    public bool Admissible => Refusal is null;
}

[GenerateSerializer, Immutable, Alias("raorch.sessions.InviteDecision")]
public sealed record InviteDecision(
    [property: Id(0)] ImmutableArray<Invitation> Added,
    [property: Id(1)] ImmutableArray<string> AlreadyInvited);

/// <summary>Who an end or cancel let go: lobby waits released, admitted participants left.</summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.CloseDecision")]
public sealed record CloseDecision(
    [property: Id(0)] SessionStatus Status,
    [property: Id(1)] ImmutableArray<string> Released,
    [property: Id(2)] ImmutableArray<string> Left,
    [property: Id(3)] bool Changed);

/// <summary>What a clock tick did: lobby waits that timed out, and whether the session ended because its schedule elapsed.</summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.TickDecision")]
public sealed record TickDecision(
    [property: Id(0)] ImmutableArray<string> TimedOut,
    [property: Id(1)] CloseDecision? Closed,
    [property: Id(2)] DateTimeOffset? NextDeadline);

/// <summary>A value or the refusal that prevented it.</summary>
public sealed record Decision<T>(T? Value, SessionRefusal? Refusal)
    where T : class
{
    public bool Succeeded => Refusal is null;

    public T GetValueOrThrow() => Value ?? throw Refusal!.ToException();
}

/// <summary>
/// The outcome of one rule applied to a session: the state after it (the same instance when refused or unchanged),
/// the decision or the refusal, and the events it appended (already part of <see cref="State"/>'s timeline).
/// </summary>
public sealed record SessionStep<T>(SessionState State, T? Value, SessionRefusal? Refusal, ImmutableArray<SessionEvent> Events)
    where T : class
{
    public bool Succeeded => Refusal is null;

    public T GetValueOrThrow() => Value ?? throw Refusal!.ToException();
}
