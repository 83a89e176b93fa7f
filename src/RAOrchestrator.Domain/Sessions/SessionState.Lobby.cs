using System.Collections.Immutable;

namespace RAOrchestrator.Domain.Sessions;

/// <summary>The lobby: asking to join, admission, denial, removal, leaving.</summary>
public sealed partial record SessionState
{
    /// <summary>
    /// A participant asks to join. Refused (client, session closed or not open yet, anonymous join disabled, external
    /// access, barriers, limits, earlier denial or removal), held in the lobby, or admitted at once with a ticket,
    /// according to <see cref="LobbyPolicy"/>. Asking again while waiting or admitted returns the existing state.
    /// </summary>
    /// <param name="invitationKey">The session's proof key (<see cref="InvitationProof.DeriveSessionKey"/>); empty when proofs are not used.</param>
    public SessionStep<JoinDecision> Join(JoinRequest request, SessionPolicyInputs inputs, ReadOnlySpan<byte> invitationKey, DateTimeOffset now, ISessionRandom random)
    {
        var who = request.Who;
        var refusal = ClientRules.Check(request.Client, who.Kind) ?? CheckIdentity(who, SessionFields.Who) ?? Closed();
        if (refusal is not null)
        {
            return Refuse<JoinDecision>(refusal);
        }

        var key = who.Key;
        var existing = Find(key);
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

        var isOrganizer = Organizer.HasKey(key);
        if (refusal is null && !isOrganizer)
        {
            refusal = CheckCounterpart(who, inputs, SessionFields.Who);
        }

        if (refusal is null && existing is not null && existing.Attempt >= Limits.MaxJoinAttemptsPerParticipant)
        {
            refusal = SessionRefusal.Of(SessionReasons.JoinAttemptLimitReached, $"You asked to join this session {existing.Attempt} times, the most a participant may.");
        }

        var organizerSide = IsOrganizerSide(key);
        if (refusal is null && !organizerSide && ActiveParticipants >= Limits.MaxParticipants)
        {
            refusal = SessionRefusal.Of(SessionReasons.ParticipantLimitReached, $"This session already has {Limits.MaxParticipants} people waiting or admitted, the most it may; ask again once someone leaves.");
        }

        var invited = Invitations.ContainsKey(key);
        var uninvitedAnonymous = who.Kind == PrincipalKind.Anonymous && !invited && !organizerSide;
        if (refusal is null && uninvitedAnonymous && AnonymousLobbyEntries >= Limits.MaxAnonymousLobbyEntries)
        {
            refusal = SessionRefusal.Of(SessionReasons.AnonymousLobbyLimitReached,
                $"Anonymous guests at addresses this session did not invite asked to join {AnonymousLobbyEntries} times, the most a session allows ({Limits.MaxAnonymousLobbyEntries}); invited guests, members and the organizer side can still join.");
        }

        if (refusal is not null)
        {
            return Refuse<JoinDecision>(refusal);
        }

        var verified = who.Kind == PrincipalKind.Anonymous && invited && !invitationKey.IsEmpty
            && InvitationProof.Verify(invitationKey, Name, who.Email!, request.InvitationProof);
        var verdict = LobbyPolicy.Decide(Lobby, new LobbySubject(who.Kind, isOrganizer, DelegatedAdmitters.Contains(key), invited, verified));

        var participant = new Participant(
            key, who, request.Client, ParticipantStatus.InLobby, invited, verified, now, null, null, verdict.Rule, now,
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

    /// <summary>
    /// Admits a lobby wait and issues its ticket. Organizer side only; a barrier verdict against the participant refuses
    /// (<see cref="WhyNotAdmit"/> is the whole refusal rule). Admitting someone already admitted changes nothing.
    /// </summary>
    public SessionStep<ParticipantChange> Admit(SessionActor actor, string participantId, BarrierVerdicts barriers, DateTimeOffset now, ISessionRandom random)
    {
        if (WhyNotAdmit(actor, participantId, barriers) is { } refusal)
        {
            return Refuse<ParticipantChange>(refusal);
        }

        var p = Find(participantId)!;
        if (p.Status == ParticipantStatus.Admitted)
        {
            return Unchanged(new ParticipantChange(p, null, false));
        }

        var tx = new Tx(this);
        var ticket = tx.AdmitNow(p, actor.Id, "ADMITTED_BY_ORGANIZER_SIDE", now, random);
        return tx.Done(new ParticipantChange(tx.State.Participants[p.Id], ticket, true));
    }

    /// <summary>
    /// Why <see cref="Admit"/> would refuse <paramref name="actor"/> admitting <paramref name="participantId"/> now, or
    /// null when it would admit (or finds the participant already admitted): the session is closed, the actor is not on
    /// the organizer side, nobody by that id asked to join, the participant is not waiting, or a barrier verdict is against it.
    /// </summary>
    public SessionRefusal? WhyNotAdmit(SessionActor actor, string participantId, BarrierVerdicts barriers)
    {
        var refusal = Closed() ?? AuthorizeOrganizerSide(actor, SessionReasons.AnonymousCannotAdmit, "admit people");
        if (refusal is not null)
        {
            return refusal;
        }

        if (Find(participantId) is not { } p)
        {
            return NotFound(participantId);
        }

        if (p.Status == ParticipantStatus.Admitted)
        {
            return null;
        }

        if (p.Status != ParticipantStatus.InLobby)
        {
            return SessionRefusal.Of(SessionReasons.ParticipantNotInLobby, $"'{p.Principal.DisplayName}' is not waiting in the lobby ({p.Status}).");
        }

        return barriers.IsBlocked(p.Id, out var why)
            ? SessionRefusal.Of(SessionReasons.InformationBarrier, $"Information barriers prevent meeting '{p.Principal.DisplayName}': {why}")
            : null;
    }

    /// <summary>
    /// For each lobby wait (<see cref="LobbyQueue"/>, longest waiting first), whether <paramref name="actor"/> admitting
    /// it now would be admitted or refused and why: <see cref="WhyNotAdmit"/> for each, so the preview and
    /// <see cref="Admit"/> cannot disagree on the same facts.
    /// </summary>
    public ImmutableArray<AdmissionCheck> PreviewAdmissions(SessionActor actor, BarrierVerdicts barriers) =>
        [.. LobbyQueue.Select(p => new AdmissionCheck(p.Id, WhyNotAdmit(actor, p.Id, barriers)))];

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

    private SessionStep<ParticipantChange> Decide(SessionActor actor, string participantId, DateTimeOffset now, SessionEventKind kind, ParticipantStatus to, ParticipantStatus[] from)
    {
        var refusal = Closed() ?? AuthorizeOrganizerSide(actor, SessionReasons.AnonymousCannotAdmit, kind == SessionEventKind.Denied ? "deny people" : "remove people");
        var p = refusal is null ? Find(participantId) : null;
        refusal ??= p is null ? NotFound(participantId) : null;
        if (refusal is null && Organizer.HasKey(p!.Id))
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
}
