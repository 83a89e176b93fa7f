
namespace RAOrchestrator.Domain.Sessions;

/// <summary>Join tickets: a fresh one for an admitted participant, and redeeming one for the Teams join URL.</summary>
public sealed partial record SessionState
{
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
    /// Sends an admitted participant into the meeting through the service's own join page: a ticket issued and redeemed
    /// in one step, so two clicks racing each other cannot both learn the URL. The page vouches for who asks (its
    /// signed cookie was set when this browser asked to join), so no invitation proof is needed; once per admission,
    /// then <c>TICKET_ALREADY_USED</c>, whoever redeemed the admission's ticket.
    /// </summary>
    public SessionStep<TicketRedemption> Enter(string participantId, DateTimeOffset now, ISessionRandom random)
    {
        var p = Find(participantId);
        var refusal = Closed() ?? (p is null ? NotFound(participantId) : null);
        if (refusal is null && p!.Status != ParticipantStatus.Admitted)
        {
            refusal = SessionRefusal.Of(SessionReasons.ParticipantNotAdmitted, $"'{p.Principal.DisplayName}' is not admitted ({p.Status}).");
        }

        if (refusal is null && MeetingRotationDue)
        {
            refusal = SessionRefusal.Of(SessionReasons.MeetingBeingReplaced, "The Teams meeting is being replaced after a removal; try again in a moment.");
        }

        if (refusal is null && Tickets.Values.FirstOrDefault(t => t.ParticipantId == p!.Id && t.Attempt == p.Attempt && t.RedeemedAt is not null) is { } used)
        {
            refusal = SessionRefusal.Of(SessionReasons.TicketAlreadyUsed, $"This admission was already used to join at {used.RedeemedAt:O}; ask to join again.");
        }

        if (refusal is not null)
        {
            return Refuse<TicketRedemption>(refusal);
        }

        var tx = new Tx(this);
        var ticket = tx.NewTicket(p!, now, random);
        var record = tx.State.Tickets[TicketTokens.Hash(ticket.Token)];
        tx.PutTicket(record with { RedeemedAt = now });
        tx.Emit(now, SessionEventKind.TicketRedeemed, p!.Id, p.Id, null);
        return tx.Done(new TicketRedemption(Meeting.JoinUrl, p.Id, now));
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

    private static int TicketAttempt(TicketRecord record) => record.Attempt;
}
