using System.Collections.Immutable;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Domain.Sessions;

/// <summary>
/// One scheduled Remote Assist session: the aggregate a session grain persists. Immutable; every rule is a method that
/// returns a <see cref="SessionStep{T}"/> with the next state, so the grain writes <c>step.State</c> when
/// <c>step.Events</c> is not empty and otherwise writes nothing. Deterministic: time and randomness are parameters.
/// Holds no delegates and no secrets (ticket tokens are kept as hashes; the invitation-proof key is derived by the host).
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.SessionState")]
public sealed record SessionState(
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
    /// <see cref="SessionLimits.AnonymousLobbyEntryBound"/> a session (<c>ANONYMOUS_LOBBY_LIMIT_REACHED</c>).
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

    /// <summary>The newest event's sequence number (events are numbered 1, 2, 3, ... with no gaps).</summary>
    public long LastSequence => EventsDropped + Events.Count;

    /// <summary>The organizer or a delegated admitter: exempt from the participant cap and the anonymous budget.</summary>
    public bool IsOrganizerSide(string key) => key == Organizer.Key || DelegatedAdmitters.Contains(key);

    /// <summary>People waiting in the lobby or admitted, not counting the organizer side (the participant cap counts these).</summary>
    public int ActiveParticipants => Participants.Values.Count(p => p.Status is ParticipantStatus.InLobby or ParticipantStatus.Admitted && !IsOrganizerSide(p.Id));

    public bool IsTerminal => SessionTransitions.IsTerminal(Status);

    /// <summary>Lobby waits, longest waiting first.</summary>
    public ImmutableArray<Participant> LobbyQueue =>
        [.. Participants.Values.Where(p => p.Status == ParticipantStatus.InLobby).OrderBy(p => p.RequestedAt).ThenBy(p => p.Id, StringComparer.Ordinal)];

    public ImmutableArray<Participant> Admitted =>
        [.. Participants.Values.Where(p => p.Status == ParticipantStatus.Admitted).OrderBy(p => p.Id, StringComparer.Ordinal)];

    public Participant? Find(string participantId) => Participants.GetValueOrDefault(participantId);

    // ------------------------------------------------------------------ scheduling

    /// <summary>
    /// Every scheduling rule, without building anything: the grain calls it before creating the Teams meeting, then
    /// calls <see cref="Schedule"/> (which checks again) with the meeting Graph returned.
    /// </summary>
    public static SessionRefusal? CheckSchedule(ScheduleRequest request, SessionPolicyInputs inputs, DateTimeOffset now, SessionLimits? limits = null)
    {
        limits ??= SessionLimits.Default;
        if (request.IsMeetNow || request.Start is null || request.End is null)
        {
            return SessionRefusal.Of(SessionReasons.MeetNowNotSupported,
                "Remote Assist sessions must be scheduled meetings with a start and an end; an ad-hoc \"Meet Now\" meeting cannot be joined by out-of-tenant guests from Remote Assist.");
        }

        var violations = new List<FieldViolation>();
        if (string.IsNullOrWhiteSpace(request.SessionName))
        {
            violations.Add(new("name", "is required"));
        }

        CheckText(request.Subject, limits.MaxSubjectLength, "subject", violations);
        var lobby = request.Lobby;
        if (lobby is not null && (lobby.MaxLobbyWait <= TimeSpan.Zero || lobby.MaxLobbyWait > limits.MaxDuration || !Enum.IsDefined(lobby.Scope)))
        {
            violations.Add(new("lobby", $"needs a defined scope and a maximum wait between 0 and {limits.MaxDuration}"));
        }

        if (violations.Count > 0)
        {
            return SessionRefusal.Of(SessionReasons.InvalidArgument, string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")), violations);
        }

        var (start, end) = (request.Start.Value, request.End.Value);
        if (end <= start)
        {
            return SessionRefusal.Of(SessionReasons.EndNotAfterStart, $"The session must end after it starts (start {start:O}, end {end:O}).", [new("end_time", "must be after start_time")]);
        }

        if (end - start > limits.MaxDuration)
        {
            return SessionRefusal.Of(SessionReasons.SessionTooLong, $"A session may last at most {limits.MaxDuration.TotalHours:0.#} hours.", [new("end_time", $"must be at most {limits.MaxDuration} after start_time")]);
        }

        if (start < now - limits.StartTolerance)
        {
            return SessionRefusal.Of(SessionReasons.StartInPast, $"The session cannot start in the past (start {start:O}, now {now:O}).", [new("start_time", "must not be in the past")]);
        }

        var organizer = inputs.Organizer.User;
        if (organizer.Kind != PrincipalKind.TenantMember || organizer.TenantId != inputs.Tenant.TenantId || string.IsNullOrEmpty(organizer.UserId))
        {
            return SessionRefusal.Of(SessionReasons.OrganizerNotInTenant,
                "The organizer must be a member account of the session's tenant (a Remote Assist licence can only be assigned to a native member).");
        }

        if (!inputs.Organizer.HasRemoteAssistLicence)
        {
            return SessionRefusal.Of(SessionReasons.OrganizerNotLicensed, $"Organizer '{organizer.DisplayName}' has no Dynamics 365 Remote Assist licence.");
        }

        for (var i = 0; i < request.DelegatedAdmitters.Length; i++)
        {
            var a = request.DelegatedAdmitters[i];
            if (a.Kind != PrincipalKind.TenantMember || a.TenantId != inputs.Tenant.TenantId || string.IsNullOrEmpty(a.UserId))
            {
                return SessionRefusal.Of(SessionReasons.AdmitterNotInTenant,
                    $"Delegated admitter '{a.DisplayName}' must be a member account of the session's tenant.", [new($"delegated_admitters[{i}]", "must be a member of the tenant")]);
            }
        }

        var distinct = request.Invitees.Select(p => p.Key).Distinct(StringComparer.Ordinal).Count();
        if (distinct > limits.MaxInvitees)
        {
            return SessionRefusal.Of(SessionReasons.InviteeLimitReached, $"A session may invite at most {limits.MaxInvitees} people.");
        }

        return CheckInvitees(request.Invitees, inputs, organizer.Key);
    }

    /// <summary>Creates the session (appending Scheduled and one Invited per invitee) or says why not.</summary>
    public static Decision<SessionState> Schedule(ScheduleRequest request, SessionPolicyInputs inputs, OnlineMeeting meeting, DateTimeOffset now, SessionLimits? limits = null)
    {
        limits ??= SessionLimits.Default;
        var refusal = CheckSchedule(request, inputs, now, limits);
        if (refusal is null && (!Uri.TryCreate(meeting.JoinUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps))
        {
            refusal = SessionRefusal.Of(SessionReasons.InvalidArgument, "The meeting's join URL must be an absolute https URL.", [new("meeting.join_url", "must be an absolute https URL")]);
        }

        if (refusal is not null)
        {
            return new(null, refusal);
        }

        var organizer = inputs.Organizer.User;
        var policy = inputs.Organizer.Policy;
        var lobby = request.Lobby ?? new LobbySettings(policy.AutoAdmittedUsers, policy.AllowPstnUsersToBypassLobby, false, LobbySettings.DefaultMaxLobbyWait);
        var state = new SessionState(
            request.SessionName,
            inputs.Tenant.TenantId,
            organizer,
            request.Subject.Trim(),
            request.Start!.Value,
            request.End!.Value,
            SessionStatus.Scheduled,
            lobby,
            [.. request.DelegatedAdmitters.Select(a => a.Key).Distinct(StringComparer.Ordinal)],
            ImmutableDictionary<string, Invitation>.Empty,
            ImmutableDictionary<string, Participant>.Empty,
            ImmutableDictionary<string, TicketRecord>.Empty,
            ImmutableList<SessionEvent>.Empty,
            meeting,
            limits,
            now,
            null,
            null);

        var tx = new Tx(state);
        tx.Emit(now, SessionEventKind.Scheduled, null, organizer.Key, null);
        tx.AddInvitations(request.Invitees, organizer.Key, now, out _, out _);
        return new(tx.State, null);
    }

    // ------------------------------------------------------------------ invitations

    /// <summary>Invites more people. Organizer side only; anonymous participants never may (<c>ANONYMOUS_CANNOT_INVITE</c>).</summary>
    public SessionStep<InviteDecision> Invite(SessionActor actor, IReadOnlyList<Principal> invitees, SessionPolicyInputs inputs, DateTimeOffset now)
    {
        var refusal = Closed() ?? AuthorizeOrganizerSide(actor, SessionReasons.AnonymousCannotInvite, "invite people");
        if (refusal is null && now >= End)
        {
            refusal = SessionRefusal.Of(SessionReasons.SessionWindowClosed, $"The session's schedule ended at {End:O}; nobody can be invited any more.");
        }

        refusal ??= CheckInvitees(invitees, inputs, Organizer.Key);
        if (refusal is null)
        {
            var newKeys = invitees.Select(p => p.Key).Where(k => !Invitations.ContainsKey(k)).Distinct(StringComparer.Ordinal).Count();
            if (Invitations.Count + newKeys > Limits.MaxInvitees)
            {
                refusal = SessionRefusal.Of(SessionReasons.InviteeLimitReached, $"A session may invite at most {Limits.MaxInvitees} people; it has {Invitations.Count}.");
            }
        }

        if (refusal is not null)
        {
            return Refuse<InviteDecision>(refusal);
        }

        var tx = new Tx(this);
        tx.AddInvitations(invitees, actor.Id, now, out var added, out var already);
        return tx.Done(new InviteDecision(added, already));
    }

    // ------------------------------------------------------------------ joining

    /// <summary>
    /// A participant asks to join. Refused (client, session closed or not open yet, anonymous join disabled, external
    /// access, barriers, limits, earlier denial or removal), held in the lobby, or admitted at once with a ticket,
    /// according to <see cref="LobbyPolicy"/>. Asking again while waiting or admitted returns the existing state.
    /// </summary>
    /// <param name="invitationKey">The session's proof key (<see cref="InvitationProof.DeriveSessionKey"/>); empty when proofs are not used.</param>
    public SessionStep<JoinDecision> Join(JoinRequest request, SessionPolicyInputs inputs, ReadOnlySpan<byte> invitationKey, DateTimeOffset now, ISessionRandom random)
    {
        var who = request.Who;
        var refusal = ClientRules.Check(request.Client, who.Kind) ?? CheckIdentity(who, "who") ?? Closed();
        if (refusal is not null)
        {
            return Refuse<JoinDecision>(refusal);
        }

        var existing = Find(who.Key);
        if (existing is { Status: ParticipantStatus.InLobby or ParticipantStatus.Admitted })
        {
            return Unchanged(new JoinDecision(existing, null, true, existing.StatusReason ?? string.Empty, existing.LobbyDeadline(Lobby)));
        }

        refusal = existing?.Status switch
        {
            ParticipantStatus.Denied => SessionRefusal.Of(SessionReasons.AdmissionDenied, "The organizer denied your request to join this session."),
            ParticipantStatus.Removed => SessionRefusal.Of(SessionReasons.ParticipantRemoved, "The organizer removed you from this session."),
            _ => null,
        };

        if (refusal is null && now < Start - Limits.EarlyJoin)
        {
            refusal = SessionRefusal.Of(SessionReasons.SessionNotStarted, $"The session opens at {Start - Limits.EarlyJoin:O} ({Limits.EarlyJoin.TotalMinutes:0} minutes before its start at {Start:O}).");
        }

        if (refusal is null && now >= End)
        {
            refusal = SessionRefusal.Of(SessionReasons.SessionWindowClosed, $"The session's schedule ended at {End:O}.");
        }

        var isOrganizer = who.Key == Organizer.Key;
        if (refusal is null && !isOrganizer)
        {
            refusal = CheckCounterpart(who, inputs, "who");
        }

        if (refusal is null && existing is not null && existing.Attempt >= Limits.MaxJoinAttemptsPerParticipant)
        {
            refusal = SessionRefusal.Of(SessionReasons.JoinAttemptLimitReached, $"You asked to join this session {existing.Attempt} times, the most a participant may.");
        }

        var organizerSide = IsOrganizerSide(who.Key);
        if (refusal is null && !organizerSide && ActiveParticipants >= Limits.MaxParticipants)
        {
            refusal = SessionRefusal.Of(SessionReasons.ParticipantLimitReached, $"This session already has {Limits.MaxParticipants} people waiting or admitted, the most it may; ask again once someone leaves.");
        }

        var invited = Invitations.ContainsKey(who.Key);
        var uninvitedAnonymous = who.Kind == PrincipalKind.Anonymous && !invited && !organizerSide;
        if (refusal is null && uninvitedAnonymous && AnonymousLobbyEntries >= Limits.AnonymousLobbyEntryBound)
        {
            refusal = SessionRefusal.Of(SessionReasons.AnonymousLobbyLimitReached,
                $"Anonymous guests at addresses this session did not invite asked to join {AnonymousLobbyEntries} times, the most a session allows ({Limits.AnonymousLobbyEntryBound}); invited guests, members and the organizer side can still join.");
        }

        if (refusal is not null)
        {
            return Refuse<JoinDecision>(refusal);
        }

        var verified = who.Kind == PrincipalKind.Anonymous && invited && !invitationKey.IsEmpty
            && InvitationProof.Verify(invitationKey, Name, who.Email!, request.InvitationProof);
        var verdict = LobbyPolicy.Decide(Lobby, new LobbySubject(who.Kind, isOrganizer, DelegatedAdmitters.Contains(who.Key), invited, verified));

        var participant = new Participant(
            who.Key, who, request.Client, ParticipantStatus.InLobby, invited, verified, now, null, null, verdict.Rule, now,
            (existing?.Attempt ?? 0) + 1, existing?.ExtraTickets ?? 0);

        var tx = new Tx(uninvitedAnonymous ? this with { AnonymousLobbyEntries = AnonymousLobbyEntries + 1 } : this);
        if (existing is null)
        {
            tx.MakeRoomForOneMore();
        }

        if (!verdict.Bypass)
        {
            tx.Put(participant);
            tx.Emit(now, SessionEventKind.JoinedLobby, participant.Id, null, verdict.Rule);
            return tx.Done(new JoinDecision(participant, null, false, verdict.Rule, participant.LobbyDeadline(Lobby)));
        }

        var ticket = tx.AdmitNow(participant, null, verdict.Rule, now, random);
        return tx.Done(new JoinDecision(tx.State.Participants[participant.Id], ticket, false, verdict.Rule, null));
    }

    // ------------------------------------------------------------------ admission

    /// <summary>Admits a lobby wait and issues its ticket. Organizer side only; a barrier verdict against the participant refuses.</summary>
    public SessionStep<ParticipantChange> Admit(SessionActor actor, string participantId, BarrierVerdicts barriers, DateTimeOffset now, ISessionRandom random)
    {
        var refusal = Closed() ?? AuthorizeOrganizerSide(actor, SessionReasons.AnonymousCannotAdmit, "admit people");
        var p = refusal is null ? Find(participantId) : null;
        refusal ??= p is null ? NotFound(participantId) : null;
        if (refusal is not null)
        {
            return Refuse<ParticipantChange>(refusal);
        }

        if (p!.Status == ParticipantStatus.Admitted)
        {
            return Unchanged(new ParticipantChange(p, null, false));
        }

        if (p.Status != ParticipantStatus.InLobby)
        {
            return Refuse<ParticipantChange>(SessionRefusal.Of(SessionReasons.ParticipantNotInLobby, $"'{p.Principal.DisplayName}' is not waiting in the lobby ({p.Status})."));
        }

        if (barriers.IsBlocked(p.Id, out var why))
        {
            return Refuse<ParticipantChange>(SessionRefusal.Of(SessionReasons.InformationBarrier, $"Information barriers prevent meeting '{p.Principal.DisplayName}': {why}"));
        }

        var tx = new Tx(this);
        var ticket = tx.AdmitNow(p, actor.Id, "ADMITTED_BY_ORGANIZER_SIDE", now, random);
        return tx.Done(new ParticipantChange(tx.State.Participants[p.Id], ticket, true));
    }

    /// <summary>Turns a lobby wait away. Organizer side only. The participant cannot ask again.</summary>
    public SessionStep<ParticipantChange> Deny(SessionActor actor, string participantId, DateTimeOffset now) =>
        Decide(actor, participantId, now, SessionEventKind.Denied, ParticipantStatus.Denied, from: [ParticipantStatus.InLobby]);

    /// <summary>Removes a participant from the lobby or the meeting. Organizer side only; never the organizer.</summary>
    public SessionStep<ParticipantChange> Remove(SessionActor actor, string participantId, DateTimeOffset now) =>
        Decide(actor, participantId, now, SessionEventKind.Removed, ParticipantStatus.Removed, from: [ParticipantStatus.InLobby, ParticipantStatus.Admitted]);

    /// <summary>The participant itself leaves the lobby or the meeting (the grain authenticated it). It may ask again later.</summary>
    public SessionStep<ParticipantChange> Leave(string participantId, DateTimeOffset now)
    {
        var p = Find(participantId);
        if (p is null)
        {
            return Refuse<ParticipantChange>(NotFound(participantId));
        }

        if (p.Status is not (ParticipantStatus.InLobby or ParticipantStatus.Admitted))
        {
            return Unchanged(new ParticipantChange(p, null, false));
        }

        var tx = new Tx(this);
        var left = tx.SetStatus(p, ParticipantStatus.Left, p.Id, "LEFT", now);
        tx.Emit(now, SessionEventKind.Left, p.Id, p.Id, p.Status == ParticipantStatus.InLobby ? "LEFT_LOBBY" : "LEFT_MEETING");
        return tx.Done(new ParticipantChange(left, null, true));
    }

    // ------------------------------------------------------------------ tickets

    /// <summary>A fresh ticket for an admitted participant whose ticket was lost or expired (bounded per participant).</summary>
    public SessionStep<JoinTicket> IssueTicket(string participantId, DateTimeOffset now, ISessionRandom random)
    {
        var p = Find(participantId);
        var refusal = Closed() ?? (p is null ? NotFound(participantId) : null);
        if (refusal is null && p!.Status != ParticipantStatus.Admitted)
        {
            refusal = SessionRefusal.Of(SessionReasons.ParticipantNotAdmitted, $"'{p.Principal.DisplayName}' is not admitted ({p.Status}).");
        }

        if (refusal is null && p!.ExtraTickets >= Limits.MaxExtraTicketsPerParticipant)
        {
            refusal = SessionRefusal.Of(SessionReasons.TicketLimitReached, $"'{p.Principal.DisplayName}' was issued the most extra tickets a participant may have ({Limits.MaxExtraTicketsPerParticipant}).");
        }

        if (refusal is not null)
        {
            return Refuse<JoinTicket>(refusal);
        }

        var tx = new Tx(this);
        tx.Put(p! with { ExtraTickets = p!.ExtraTickets + 1 });
        return tx.Done(tx.NewTicket(p, now, random));
    }

    /// <summary>
    /// An admitted participant asks to join again (its ticket was lost or expired): a fresh ticket, bounded per participant.
    /// An anonymous guest must present the proof it was admitted with: the invitation proof it joined with (when it was
    /// verified); one the organizer side admitted without a proof has nothing to present, so it leaves and asks again
    /// (<c>REJOIN_PROOF_REQUIRED</c>). Accounts are identified by their directory, as at the first join.
    /// </summary>
    public SessionStep<JoinTicket> Rejoin(JoinRequest request, ReadOnlySpan<byte> invitationKey, DateTimeOffset now, ISessionRandom random)
    {
        var p = Find(request.Who.Key);
        if (p is { Status: ParticipantStatus.Admitted, Principal.Kind: PrincipalKind.Anonymous } && !IsOrganizerSide(p.Id))
        {
            var proven = p.InvitationVerified && !invitationKey.IsEmpty && InvitationProof.Verify(invitationKey, Name, p.Principal.Email!, request.InvitationProof);
            if (!proven)
            {
                return Refuse<JoinTicket>(SessionRefusal.Of(SessionReasons.RejoinProofRequired, p.InvitationVerified
                    ? "This guest was admitted with an invitation proof; a new ticket needs the same proof (the one in the invitation link)."
                    : "This guest was admitted without an invitation proof, so nothing proves who asks now; leave the session and ask to join again, and the organizer side decides again."));
            }
        }

        return IssueTicket(request.Who.Key, now, random);
    }

    /// <summary>
    /// Redeems a ticket once: <c>TICKET_MALFORMED</c>, <c>TICKET_WRONG_SESSION</c>, <c>TICKET_NOT_FOUND</c>,
    /// <c>TICKET_ALREADY_USED</c>, <c>TICKET_EXPIRED</c>, the session's end, or a participant no longer admitted refuse it.
    /// </summary>
    public SessionStep<TicketRedemption> RedeemTicket(string? token, DateTimeOffset now)
    {
        if (!TicketTokens.TryParse(token, out var sessionName, out var hash))
        {
            return Refuse<TicketRedemption>(SessionRefusal.Of(SessionReasons.TicketMalformed, "This is not a join ticket issued by this service."));
        }

        if (!string.Equals(sessionName, Name, StringComparison.Ordinal))
        {
            return Refuse<TicketRedemption>(SessionRefusal.Of(SessionReasons.TicketWrongSession, $"The ticket was issued for another session, not {Name}."));
        }

        if (!Tickets.TryGetValue(hash, out var record))
        {
            return Refuse<TicketRedemption>(SessionRefusal.Of(SessionReasons.TicketNotFound, "This session issued no such ticket."));
        }

        if (record.RedeemedAt is { } used)
        {
            return Refuse<TicketRedemption>(SessionRefusal.Of(SessionReasons.TicketAlreadyUsed, $"The ticket was already used at {used:O}; tickets are single use."));
        }

        if (now >= record.ExpiresAt)
        {
            return Refuse<TicketRedemption>(SessionRefusal.Of(SessionReasons.TicketExpired, $"The ticket expired at {record.ExpiresAt:O}."));
        }

        var refusal = Closed();
        if (refusal is null && MeetingRotationDue)
        {
            refusal = SessionRefusal.Of(SessionReasons.MeetingBeingReplaced, "The Teams meeting is being replaced after a removal; redeem the ticket again in a moment.");
        }

        var p = Find(record.ParticipantId);
        if (refusal is null && (p is null || p.Status != ParticipantStatus.Admitted || p.Attempt != TicketAttempt(record)))
        {
            refusal = SessionRefusal.Of(SessionReasons.ParticipantNotAdmitted, "The participant this ticket was issued to is no longer admitted.");
        }

        if (refusal is not null)
        {
            return Refuse<TicketRedemption>(refusal);
        }

        var tx = new Tx(this);
        tx.PutTicket(record with { RedeemedAt = now });
        tx.Emit(now, SessionEventKind.TicketRedeemed, record.ParticipantId, record.ParticipantId, null);
        return tx.Done(new TicketRedemption(Meeting.JoinUrl, record.ParticipantId, now));
    }

    // ------------------------------------------------------------------ session life

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

    // ------------------------------------------------------------------ timeline

    /// <summary>Events with a sequence greater than <paramref name="afterSequence"/>, at most <paramref name="max"/> (1..1000).</summary>
    public SessionEventPage EventsAfter(long afterSequence, int max = 100)
    {
        max = Math.Clamp(max, 1, 1000);
        var from = (int)Math.Clamp(afterSequence - EventsDropped, 0, Events.Count);
        var count = Math.Min(max, Events.Count - from);
        var page = count == 0 ? ImmutableArray<SessionEvent>.Empty : [.. Events.GetRange(from, count)];
        return new SessionEventPage(page, LastSequence, from + count < Events.Count);
    }

    // ------------------------------------------------------------------ helpers

    private SessionStep<ParticipantChange> Decide(SessionActor actor, string participantId, DateTimeOffset now, SessionEventKind kind, ParticipantStatus to, ParticipantStatus[] from)
    {
        var refusal = Closed() ?? AuthorizeOrganizerSide(actor, SessionReasons.AnonymousCannotAdmit, kind == SessionEventKind.Denied ? "deny people" : "remove people");
        var p = refusal is null ? Find(participantId) : null;
        refusal ??= p is null ? NotFound(participantId) : null;
        if (refusal is null && p!.Id == Organizer.Key)
        {
            refusal = SessionRefusal.Of(SessionReasons.CannotRemoveOrganizer, "The organizer cannot be denied or removed; end or cancel the session instead.");
        }

        if (refusal is not null)
        {
            return Refuse<ParticipantChange>(refusal);
        }

        if (p!.Status == to)
        {
            return Unchanged(new ParticipantChange(p, null, false));
        }

        if (!from.Contains(p.Status))
        {
            var reason = to == ParticipantStatus.Denied ? SessionReasons.ParticipantNotInLobby : SessionReasons.ParticipantNotAdmitted;
            return Refuse<ParticipantChange>(SessionRefusal.Of(reason, $"'{p.Principal.DisplayName}' is {p.Status}; cannot {kind.ToString().ToLowerInvariant()} now."));
        }

        // Someone who redeemed a ticket knows the join URL, a bearer secret while the Teams lobby lets everyone in: the
        // meeting is replaced before anyone redeems another ticket.
        var knowsUrl = Tickets.Values.Any(t => t.ParticipantId == p.Id && t.RedeemedAt is not null);
        var tx = new Tx(knowsUrl ? this with { MeetingRotationDue = true } : this);
        var changed = tx.SetStatus(p, to, actor.Id, kind == SessionEventKind.Denied ? SessionReasons.AdmissionDenied : SessionReasons.ParticipantRemoved, now);
        tx.Emit(now, kind, p.Id, actor.Id, null);
        return tx.Done(new ParticipantChange(changed, null, true));
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

        return p.Key == Organizer.Key || DelegatedAdmitters.Contains(p.Key)
            ? null
            : SessionRefusal.Of(SessionReasons.NotOrganizerSide, $"'{p.DisplayName}' is neither the organizer nor a delegated admitter of this session and cannot {what}.");
    }

    private static SessionRefusal NotFound(string participantId) =>
        SessionRefusal.Of(SessionReasons.ParticipantNotFound, $"No participant '{participantId}' asked to join this session.");

    private static int TicketAttempt(TicketRecord record) => record.Attempt;

    private SessionStep<T> Refuse<T>(SessionRefusal refusal) where T : class => new(this, null, refusal, []);

    private SessionStep<T> Unchanged<T>(T value) where T : class => new(this, value, null, []);

    /// <summary>Identity fields that must be present for each kind.</summary>
    private static SessionRefusal? CheckIdentity(Principal who, string field)
    {
        var violations = new List<FieldViolation>();
        CheckText(who.DisplayName, 256, $"{field}.display_name", violations);
        switch (who.Kind)
        {
            case PrincipalKind.Anonymous:
                if (!EmailAddress.IsValid(who.Email))
                {
                    violations.Add(new($"{field}.email", "must be the e-mail address the guest was invited at"));
                }

                break;
            case PrincipalKind.TenantMember or PrincipalKind.TenantGuest or PrincipalKind.Federated:
                if (string.IsNullOrWhiteSpace(who.TenantId) || string.IsNullOrWhiteSpace(who.UserId))
                {
                    violations.Add(new($"{field}.user_id", "a user needs its tenant id and user id"));
                }

                break;
            case PrincipalKind.DialIn:
                break;
            default:
                violations.Add(new($"{field}.kind", "is not a known kind of participant"));
                break;
        }

        return violations.Count == 0
            ? null
            : SessionRefusal.Of(SessionReasons.InvalidArgument, string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")), violations);
    }

    /// <summary>Tenant, external-access, anonymous-join and barrier rules for someone the organizer side meets.</summary>
    private static SessionRefusal? CheckCounterpart(Principal who, SessionPolicyInputs inputs, string field)
    {
        var tenant = inputs.Tenant.TenantId;
        switch (who.Kind)
        {
            case PrincipalKind.DialIn:
                return SessionRefusal.Of(SessionReasons.InvalidArgument, "Phone numbers cannot be invited to or join a Remote Assist session.", [new(field, "must be a person, not a phone number")]);
            case PrincipalKind.TenantMember or PrincipalKind.TenantGuest when who.TenantId != tenant:
                return SessionRefusal.Of(SessionReasons.IdentityTenantMismatch, $"'{who.DisplayName}' is not in the session's tenant; a user of another tenant joins as a federated user.", [new(field, "tenant does not match the session's tenant")]);
            case PrincipalKind.Federated when who.TenantId == tenant:
                return SessionRefusal.Of(SessionReasons.IdentityTenantMismatch, $"'{who.DisplayName}' is a user of the session's own tenant, not a federated user.", [new(field, "tenant is the session's own tenant")]);
            case PrincipalKind.Federated:
                if (!inputs.Tenant.ExternalAccess.Allows(who.TenantId!))
                {
                    return SessionRefusal.Of(SessionReasons.ExternalAccessBlocked, $"External access of the session's tenant does not allow tenant {who.TenantId}, so its users cannot meet across them.", [new(field, "external access blocks this tenant pair")]);
                }

                // Whether the other tenant is onboarded here, or does not allow this one, is its business: one answer
                // for both, naming neither its state nor its user.
                if (!inputs.OtherTenants.TryGetValue(who.TenantId!, out var other) || !other.Onboarded || !other.ExternalAccess.Allows(tenant))
                {
                    return SessionRefusal.Of(SessionReasons.ExternalAccessBlocked, $"Tenant {who.TenantId} does not accept meetings with the session's tenant through this service: it must be onboarded here and allow this tenant in its external access. Invite the person by e-mail as a guest instead.", [new(field, "external access blocks this tenant pair")]);
                }

                break;
            case PrincipalKind.Anonymous when !inputs.AnonymousJoinAllowed:
                var which = inputs.Tenant.DisableAnonymousJoin ? "the tenant disables anonymous join (DisableAnonymousJoin)" : "the organizer's meeting policy does not allow anonymous users (AllowAnonymousUsersToJoinMeeting)";
                return SessionRefusal.Of(SessionReasons.AnonymousJoinDisabled, $"'{who.Email}' is outside the tenant and would join anonymously, but {which}.", [new(field, "anonymous join is disabled")]);
        }

        return inputs.Barriers.IsBlocked(who.Key, out var why)
            ? SessionRefusal.Of(SessionReasons.InformationBarrier, $"Information barriers prevent the organizer from meeting '{who.DisplayName}': {why}", [new(field, "blocked by information barriers")])
            : null;
    }

    private static SessionRefusal? CheckInvitees(IReadOnlyList<Principal> invitees, SessionPolicyInputs inputs, string organizerKey)
    {
        SessionRefusal? first = null;
        var violations = new List<FieldViolation>();
        for (var i = 0; i < invitees.Count; i++)
        {
            var field = $"invitees[{i}]";
            var p = invitees[i];
            var r = p.Kind == PrincipalKind.DialIn
                ? SessionRefusal.Of(SessionReasons.InvalidArgument, "Phone numbers cannot be invited.", [new(field, "must be a person")])
                : CheckIdentity(p, field) ?? (p.Key == organizerKey ? null : CheckCounterpart(p, inputs, field));
            if (r is not null)
            {
                first ??= r;
                violations.Add(new(field, $"{r.Reason}: {r.Message}"));
            }
        }

        return first is null ? null : first with { Violations = violations };
    }

    private static void CheckText(string? value, int max, string field, List<FieldViolation> violations)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            violations.Add(new(field, "is required"));
        }
        else if (value.Length > max)
        {
            violations.Add(new(field, $"must be at most {max} characters"));
        }
        else if (value.Any(char.IsControl))
        {
            violations.Add(new(field, "must not contain control characters"));
        }
    }

    /// <summary>Accumulates the changes of one rule: the next state and the events it appended.</summary>
    private sealed class Tx(SessionState state)
    {
        private readonly ImmutableArray<SessionEvent>.Builder _events = ImmutableArray.CreateBuilder<SessionEvent>();

        public SessionState State { get; private set; } = state;

        public SessionStep<T> Done<T>(T value) where T : class => new(State, value, null, _events.ToImmutable());

        public void Emit(DateTimeOffset at, SessionEventKind kind, string? subject, string? actor, string? reason)
        {
            var e = new SessionEvent(State.LastSequence + 1, at, kind, subject, actor, reason);
            State = State.Events.Count >= State.Limits.MaxEvents
                ? State with { Events = State.Events.RemoveAt(0).Add(e), EventsDropped = State.EventsDropped + 1 } // the oldest event goes
                : State with { Events = State.Events.Add(e) };
            _events.Add(e);
        }

        public void Put(Participant p) => State = State with { Participants = State.Participants.SetItem(p.Id, p) };

        /// <summary>
        /// Before a new participant record is added: when the records (organizer side aside) are at
        /// <see cref="SessionLimits.ParticipantRecordBound"/>, the one that ended longest ago is forgotten with its tickets
        /// (left, timed out or released first, then denied or removed). Those waiting or admitted are never forgotten, and
        /// they are at most <see cref="SessionLimits.MaxParticipants"/>, well under the bound.
        /// </summary>
        public void MakeRoomForOneMore()
        {
            var records = State.Participants.Values.Where(p => !State.IsOrganizerSide(p.Id)).ToList();
            if (records.Count < State.Limits.ParticipantRecordBound)
            {
                return;
            }

            var forget = records
                .Where(p => p.Status is not (ParticipantStatus.InLobby or ParticipantStatus.Admitted))
                .OrderBy(p => p.Status is ParticipantStatus.Denied or ParticipantStatus.Removed ? 1 : 0)
                .ThenBy(p => p.StatusAt)
                .ThenBy(p => p.Id, StringComparer.Ordinal)
                .Take(records.Count - State.Limits.ParticipantRecordBound + 1)
                .Select(p => p.Id)
                .ToHashSet(StringComparer.Ordinal);
            State = State with
            {
                Participants = State.Participants.RemoveRange(forget),
                Tickets = State.Tickets.RemoveRange(State.Tickets.Values.Where(t => forget.Contains(t.ParticipantId)).Select(t => t.TokenHash)),
            };
        }

        public void PutTicket(TicketRecord t) => State = State with { Tickets = State.Tickets.SetItem(t.TokenHash, t) };

        public Participant SetStatus(Participant p, ParticipantStatus status, string? by, string reason, DateTimeOffset now)
        {
            var changed = p with { Status = status, DecidedBy = by ?? p.DecidedBy, StatusReason = reason, StatusAt = now };
            Put(changed);
            return changed;
        }

        public JoinTicket AdmitNow(Participant p, string? by, string rule, DateTimeOffset now, ISessionRandom random)
        {
            var admitted = p with { Status = ParticipantStatus.Admitted, AdmittedAt = now, DecidedBy = by, StatusReason = rule, StatusAt = now };
            Put(admitted);
            if (State.Status == SessionStatus.Scheduled)
            {
                State = State with { Status = SessionStatus.Active };
                Emit(now, SessionEventKind.Started, null, by, null);
            }

            Emit(now, SessionEventKind.Admitted, p.Id, by, rule);
            return NewTicket(admitted, now, random);
        }

        public JoinTicket NewTicket(Participant p, DateTimeOffset now, ISessionRandom random)
        {
            var token = TicketTokens.NewToken(State.Name, random);
            var expires = now + State.Limits.TicketLifetime;
            PutTicket(new TicketRecord(TicketTokens.Hash(token), p.Id, now, expires, null, p.Attempt));
            Emit(now, SessionEventKind.TicketIssued, p.Id, null, null);
            // The join URL is handed out only when the ticket is redeemed (RedeemTicket), never with the ticket itself.
            return new JoinTicket(token, State.Name, p.Id, string.Empty, now, expires);
        }

        public void AddInvitations(IEnumerable<Principal> invitees, string by, DateTimeOffset now, out ImmutableArray<Invitation> added, out ImmutableArray<string> already)
        {
            var a = ImmutableArray.CreateBuilder<Invitation>();
            var seen = ImmutableArray.CreateBuilder<string>();
            foreach (var p in invitees)
            {
                if (State.Invitations.ContainsKey(p.Key))
                {
                    if (!seen.Contains(p.Key))
                    {
                        seen.Add(p.Key);
                    }

                    continue;
                }

                var inv = new Invitation(p.Key, p, now, by);
                State = State with { Invitations = State.Invitations.Add(p.Key, inv) };
                Emit(now, SessionEventKind.Invited, p.Key, by, null);
                a.Add(inv);
            }

            added = a.ToImmutable();
            already = seen.ToImmutable();
        }

        public CloseDecision Close(SessionStatus to, string? by, string reason, DateTimeOffset now)
        {
            var released = ImmutableArray.CreateBuilder<string>();
            var left = ImmutableArray.CreateBuilder<string>();
            foreach (var p in State.Participants.Values.OrderBy(p => p.Id, StringComparer.Ordinal).ToList())
            {
                if (p.Status == ParticipantStatus.InLobby)
                {
                    SetStatus(p, ParticipantStatus.Released, by, reason, now);
                    Emit(now, SessionEventKind.Released, p.Id, by, reason);
                    released.Add(p.Id);
                }
                else if (p.Status == ParticipantStatus.Admitted)
                {
                    SetStatus(p, ParticipantStatus.Left, by, reason, now);
                    Emit(now, SessionEventKind.Left, p.Id, by, reason);
                    left.Add(p.Id);
                }
            }

            State = State with { Status = to, ClosedAt = now, CloseReason = reason };
            Emit(now, to == SessionStatus.Cancelled ? SessionEventKind.Cancelled : SessionEventKind.Ended, null, by, reason);
            return new CloseDecision(to, released.ToImmutable(), left.ToImmutable(), true);
        }
    }
}
