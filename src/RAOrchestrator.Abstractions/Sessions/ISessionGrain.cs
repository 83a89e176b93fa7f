using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Abstractions.Sessions;

/// <summary>
/// One Remote Assist session, keyed <c>tenants/{tenant}/sessions/{session}</c>. It resolves the people named in a
/// request against the directory, gathers the facts the session rules read (tenant meeting settings, the organizer's
/// licence, other tenants' external access, information barriers), applies the session rules and persists the result
/// before it answers, and answers views of its own (<see cref="SessionView"/>, <see cref="ParticipantView"/>). The caller (the gRPC service) has checked that the partner manages the
/// tenant; the grain checks again against the partner recorded at creation.
/// </summary>
[Alias("raorch.ISessionGrain")]
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>Schedules the session and its Teams meeting; a retry with the same request id answers the same session.</summary>
    [Alias("Create")]
    Task<SessionView> CreateAsync(string requestId, string partnerId, SessionSpec spec);

    /// <summary>The session (with its timeline when <paramref name="withTimeline"/>), or null when it does not exist or belongs to another partner.</summary>
    [Alias("TryGet"), ReadOnly]
    Task<SessionView?> TryGetAsync(string partnerId, bool withTimeline = false);

    /// <summary>Invites more people; a repeat with the same request id (not empty) answers what the first call did.</summary>
    [Alias("Invite")]
    Task<InviteOutcome> InviteAsync(string partnerId, PersonRef? actor, IReadOnlyList<PersonRef> invitees, string requestId = "");

    [Alias("Join")]
    Task<ParticipantOutcome> JoinAsync(string partnerId, PersonRef who, ClientKind client, string? invitationProof);

    [Alias("Admit")]
    Task<ParticipantOutcome> AdmitAsync(string partnerId, PersonRef? actor, string participantId);

    [Alias("Deny")]
    Task<ParticipantOutcome> DenyAsync(string partnerId, PersonRef? actor, string participantId);

    [Alias("Remove")]
    Task<ParticipantOutcome> RemoveAsync(string partnerId, PersonRef? actor, string participantId);

    [Alias("Leave")]
    Task<ParticipantOutcome> LeaveAsync(string partnerId, string participantId);

    [Alias("Redeem")]
    Task<TicketRedemption> RedeemAsync(string partnerId, string token);

    /// <summary>
    /// The service's join page sends an admitted participant into the meeting: a ticket issued and redeemed at once,
    /// once per admission. For the page only, which vouches for the participant with the cookie it set when the browser
    /// asked to join; the API hands out tickets on admission instead.
    /// </summary>
    [Alias("Enter")]
    Task<TicketRedemption> EnterAsync(string partnerId, string participantId);

    /// <summary>Ends the session and deletes its Teams meeting; a repeat with the same request id answers the first result.</summary>
    [Alias("End")]
    Task<SessionView> EndAsync(string partnerId, PersonRef? actor, string requestId = "");

    /// <summary>Cancels the session and deletes its Teams meeting; a repeat with the same request id answers the first result.</summary>
    [Alias("Cancel")]
    Task<SessionView> CancelAsync(string partnerId, PersonRef? actor, string requestId = "");

    /// <summary>
    /// The tenant is being offboarded: cancels the session (ends it when it started), deletes its Teams meeting through
    /// Graph, stops its clock and forgets it. Grain-to-grain only; idempotent.
    /// </summary>
    [Alias("CloseForOffboarding")]
    Task CloseForOffboardingAsync();

    /// <summary>Wakes the watchers so they check again whether their partner still owns the tenant (after a transfer).</summary>
    [Alias("WakeWatchers"), AlwaysInterleave, OneWay]
    Task WakeWatchersAsync();

    /// <summary>
    /// Events after <paramref name="afterSequence"/>, waiting up to <paramref name="maxWait"/> for one when there are none.
    /// Null when the session does not exist for this partner (or its partner no longer owns the tenant). Interleaves,
    /// so a waiting watcher blocks nobody. On a silo that is stopping it waits no more: UNAVAILABLE (CLUSTER_UNAVAILABLE),
    /// and the watcher asks again.
    /// </summary>
    [Alias("Watch"), AlwaysInterleave]
    Task<SessionWatchPage?> WatchAsync(string partnerId, long afterSequence, int max, TimeSpan maxWait);

    /// <summary>
    /// For each person waiting in the lobby (longest waiting first), whether <paramref name="actor"/> (null: the managing
    /// partner) admitting them now would be admitted or refused and why, judged by the rule and the barrier facts
    /// <see cref="AdmitAsync"/> uses; changes nothing. NOT_FOUND as the other calls when the partner does not see the session.
    /// </summary>
    [Alias("PreviewAdmissions"), ReadOnly]
    Task<IReadOnlyList<AdmissionCheck>> PreviewAdmissionsAsync(string partnerId, PersonRef? actor);
}

/// <summary>How an API request names a person; the grain resolves it to a <see cref="Principal"/>.</summary>
public enum PersonKind : byte
{
    TenantUser = 1,
    FederatedUser = 2,
    AnonymousGuest = 3,
}

[GenerateSerializer, Immutable, Alias("raorch.sessions.PersonRef")]
public sealed record PersonRef(
    [property: Id(0)] PersonKind Kind,
    [property: Id(1)] string? TenantId,
    [property: Id(2)] string? UserId,
    [property: Id(3)] string? Email,
    [property: Id(4)] string? DisplayName);

/// <summary>What to schedule, as the API gave it (people not yet resolved).</summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.SessionSpec")]
public sealed record SessionSpec(
    [property: Id(0)] PersonRef Organizer,
    [property: Id(1)] string Subject,
    [property: Id(2)] DateTimeOffset? Start,
    [property: Id(3)] DateTimeOffset? End,
    [property: Id(4)] IReadOnlyList<PersonRef> Invitees,
    [property: Id(5)] IReadOnlyList<PersonRef> DelegatedAdmitters,
    [property: Id(6)] LobbySettings? Lobby);

/// <summary>A page of events for a watcher, and whether the session has closed (no event will follow the last one).</summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.SessionWatchPage")]
public sealed record SessionWatchPage(
    [property: Id(0)] SessionEventPage Page,
    [property: Id(1)] bool Closed);
