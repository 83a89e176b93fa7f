using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Abstractions.Sessions;

// What ISessionGrain answers: what the API shows of a session, built by the grain from its state. Nothing secret
// (ticket hashes, invitation-proof keys) and nothing internal (idempotency records, limits, the Teams meeting) is in
// them, so renaming a field of the stored aggregate does not change the grain's API. Small domain enums and values
// (statuses, client kinds, lobby settings, events) are shared as they are.

/// <summary>A person as a session shows it.</summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.PersonView")]
public sealed record PersonView(
    [property: Id(0)] PrincipalKind Kind,
    [property: Id(1)] string? TenantId,
    [property: Id(2)] string? UserId,
    [property: Id(3)] string? Email,
    [property: Id(4)] string DisplayName);

/// <summary>An invitee, with the gate link (and invitation proof) to hand to an anonymous guest.</summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.InvitationView")]
public sealed record InvitationView(
    [property: Id(0)] string Id,
    [property: Id(1)] PersonView Person,
    [property: Id(2)] DateTimeOffset InvitedAt,
    [property: Id(3)] string? Link);

/// <summary>Someone who asked to join; <see cref="Name"/> is its resource name, <c>tenants/{t}/sessions/{s}/participants/{p}</c>.</summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.ParticipantView")]
public sealed record ParticipantView(
    [property: Id(0)] string Name,
    [property: Id(1)] string Id,
    [property: Id(2)] PersonView Person,
    [property: Id(3)] ClientKind Client,
    [property: Id(4)] ParticipantStatus Status,
    [property: Id(5)] string? StatusReason,
    [property: Id(6)] string? DecidedBy,
    [property: Id(7)] bool Invited,
    [property: Id(8)] bool InvitationVerified,
    [property: Id(9)] DateTimeOffset RequestedAt,
    [property: Id(10)] DateTimeOffset? AdmittedAt,
    [property: Id(11)] DateTimeOffset? LobbyDeadline);

/// <summary>
/// A session as the API shows it. <see cref="Version"/> grows with every stored change (the API's etag), and
/// <see cref="UpdatedAt"/> is when the last one was made. <see cref="Events"/> is the timeline, only when asked for.
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.SessionView")]
public sealed record SessionView(
    [property: Id(0)] string Name,
    [property: Id(1)] PersonView Organizer,
    [property: Id(2)] string Subject,
    [property: Id(3)] DateTimeOffset Start,
    [property: Id(4)] DateTimeOffset End,
    [property: Id(5)] SessionStatus Status,
    [property: Id(6)] LobbySettings Lobby,
    [property: Id(7)] IReadOnlyList<InvitationView> Invitations,
    [property: Id(8)] IReadOnlyList<string> DelegatedAdmitterUserIds,
    [property: Id(9)] IReadOnlyList<ParticipantView> Participants,
    [property: Id(10)] long LastSequence,
    [property: Id(11)] string? CloseReason,
    [property: Id(12)] DateTimeOffset CreatedAt,
    [property: Id(13)] DateTimeOffset? ClosedAt,
    [property: Id(14)] DateTimeOffset UpdatedAt,
    [property: Id(15)] long Version,
    [property: Id(16)] IReadOnlyList<SessionEvent>? Events);

/// <summary>What a call about one participant did: the participant after it, and a join ticket when it admitted one.</summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.ParticipantOutcome")]
public sealed record ParticipantOutcome(
    [property: Id(0)] ParticipantView Participant,
    [property: Id(1)] JoinTicket? Ticket);

/// <summary>The invitations an InviteToSession call made, and the people it found already invited.</summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.InviteOutcome")]
public sealed record InviteOutcome(
    [property: Id(0)] IReadOnlyList<InvitationView> Added,
    [property: Id(1)] IReadOnlyList<string> AlreadyInvited);
