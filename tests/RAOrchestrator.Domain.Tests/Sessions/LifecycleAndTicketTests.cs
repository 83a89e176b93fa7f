using RAOrchestrator.Domain.Sessions;
using static RAOrchestrator.Domain.Tests.Sessions.SessionFixture;

namespace RAOrchestrator.Domain.Tests.Sessions;

public sealed class LifecycleAndTicketTests
{
    [Fact]
    public void Lobby_wait_past_the_limit_times_out_by_clock()
    {
        var s = Scheduled(lobby: Lobby(LobbyScope.Organization, maxWait: TimeSpan.FromMinutes(10)));
        s = s.JoinAt(Expert, Start).State.JoinAt(Stranger, Start.AddMinutes(5)).State;

        Assert.Empty(s.ExpiredWaits(Start.AddMinutes(10).AddTicks(-1)));
        Assert.Equal([Expert.Key], s.ExpiredWaits(Start.AddMinutes(10)).Select(p => p.Id));
        Assert.Equal(Start.AddMinutes(10), s.NextDeadline);

        var tick = s.Tick(Start.AddMinutes(12));
        Assert.Equal([Expert.Key], tick.GetValueOrThrow().TimedOut.ToArray());
        Assert.Equal(ParticipantStatus.TimedOut, tick.State.Participants[Expert.Key].Status);
        Assert.Equal(SessionReasons.LobbyTimeout, tick.Events.Single().Reason);
        Assert.Equal(Start.AddMinutes(15), tick.Value!.NextDeadline);

        // The same clock value again changes nothing (a reminder delivered twice).
        Assert.Empty(tick.State.Tick(Start.AddMinutes(12)).Events);

        // A participant who timed out may ask again.
        Assert.True(tick.State.JoinAt(Expert, Start.AddMinutes(13)).GetValueOrThrow().InLobby);
    }

    [Fact]
    public void Ending_the_session_releases_the_lobby_and_lets_admitted_participants_leave()
    {
        var s = Scheduled().JoinAt(Technician).State.JoinAt(Colleague).State.JoinAt(Expert).State;
        var end = s.EndSession(Actor(Technician), Start.AddMinutes(30));
        var d = end.GetValueOrThrow();
        Assert.Equal([Expert.Key], d.Released.ToArray());
        Assert.Equal(2, d.Left.Length);
        Assert.Equal(ParticipantStatus.Released, end.State.Participants[Expert.Key].Status);
        Assert.Equal(SessionReasons.SessionEnded, end.State.Participants[Expert.Key].StatusReason);
        Assert.All(end.State.Participants.Values, p => Assert.NotEqual(ParticipantStatus.Admitted, p.Status));
        Assert.Equal(SessionEventKind.Ended, end.Events[^1].Kind);
        Assert.Null(end.State.NextDeadline);

        // Ending again is idempotent; cancelling an ended session is refused.
        Assert.Empty(end.State.EndSession(Actor(Technician), Start.AddMinutes(31)).Events);
        Assert.Equal(SessionReasons.SessionEnded, end.State.Cancel(Actor(Technician), Start.AddMinutes(31)).Refusal?.Reason);
    }

    [Fact]
    public void Cancelling_releases_early_lobby_waits_with_the_cancel_reason()
    {
        var s = Scheduled().JoinAt(Expert, Start.AddMinutes(-10)).State;
        Assert.Equal(SessionStatus.Scheduled, s.Status);
        var cancel = s.Cancel(Actor(Technician), Start.AddMinutes(-5));
        Assert.Equal([Expert.Key], cancel.GetValueOrThrow().Released.ToArray());
        Assert.Equal(SessionReasons.SessionCancelled, cancel.State.Participants[Expert.Key].StatusReason);
        Assert.Equal(SessionStatus.Cancelled, cancel.State.Status);
    }

    [Fact]
    public void Only_legal_transitions_are_taken()
    {
        var scheduled = Scheduled();
        Assert.Equal(SessionReasons.IllegalTransition, scheduled.EndSession(Actor(Technician), Now).Refusal?.Reason);
        var active = scheduled.JoinAt(Technician).State;
        Assert.Equal(SessionReasons.IllegalTransition, active.Cancel(Actor(Technician), Start).Refusal?.Reason);
        Assert.Equal(SessionReasons.AnonymousCannotAdmit, active.EndSession(Actor(Expert), Start).Refusal?.Reason);

        foreach (var from in Enum.GetValues<SessionStatus>())
        {
            foreach (var to in Enum.GetValues<SessionStatus>())
            {
                var legal = (from, to) is (SessionStatus.Scheduled, SessionStatus.Active) or (SessionStatus.Scheduled, SessionStatus.Cancelled)
                    or (SessionStatus.Scheduled, SessionStatus.Ended) or (SessionStatus.Active, SessionStatus.Ended);
                Assert.Equal(legal, SessionTransitions.IsLegal(from, to));
            }
        }
    }

    [Fact]
    public void Schedule_elapsing_ends_the_session_by_clock()
    {
        var s = Scheduled().JoinAt(Technician).State;
        Assert.Equal(End + SessionLimits.Default.Overrun, s.NextDeadline);
        Assert.Null(s.Tick(End).Value!.Closed);
        var tick = s.Tick(End + SessionLimits.Default.Overrun);
        Assert.Equal(SessionStatus.Ended, tick.State.Status);
        Assert.Equal(SessionReasons.ScheduleElapsed, tick.State.CloseReason);
    }

    [Fact]
    public void Ticket_is_single_use()
    {
        var (s, ticket) = AdmittedExpert();
        var first = s.RedeemTicket(ticket.Token, Start.AddMinutes(1));
        Assert.Equal(JoinUrl, first.GetValueOrThrow().JoinUrl);
        var second = first.State.RedeemTicket(ticket.Token, Start.AddMinutes(1));
        Assert.Equal(SessionReasons.TicketAlreadyUsed, second.Refusal?.Reason);
        Assert.Empty(second.Events);
    }

    [Fact]
    public void The_join_page_enters_an_admitted_guest_once_per_admission_without_an_invitation_proof()
    {
        // Admitted from a generic link: no invitation proof, so asking again through the API is refused...
        var (s, _) = AdmittedExpert();
        Assert.Equal(SessionReasons.RejoinProofRequired, s.Rejoin(Ask(Expert), SessionKey, Start, NextRandom()).Refusal?.Reason);

        // ...but the join page, which set the browser's cookie itself, enters it once, issuing and redeeming in one step.
        var enter = s.Enter(Expert.Key, Start.AddMinutes(1), NextRandom());
        Assert.Equal(JoinUrl, enter.GetValueOrThrow().JoinUrl);
        Assert.Equal([SessionEventKind.TicketIssued, SessionEventKind.TicketRedeemed], enter.Events.Select(e => e.Kind));

        var again = enter.State.Enter(Expert.Key, Start.AddMinutes(2), NextRandom());
        Assert.Equal(SessionReasons.TicketAlreadyUsed, again.Refusal?.Reason);
        Assert.Empty(again.Events);
    }

    [Fact]
    public void The_join_page_cannot_enter_an_admission_whose_ticket_was_redeemed_or_a_guest_no_longer_admitted()
    {
        var (s, ticket) = AdmittedExpert();
        var redeemed = s.RedeemTicket(ticket.Token, Start).State;
        Assert.Equal(SessionReasons.TicketAlreadyUsed, redeemed.Enter(Expert.Key, Start, NextRandom()).Refusal?.Reason);

        var removed = s.Remove(Actor(Technician), Expert.Key, Start).State;
        Assert.Equal(SessionReasons.ParticipantNotAdmitted, removed.Enter(Expert.Key, Start, NextRandom()).Refusal?.Reason);
        Assert.Equal(SessionReasons.ParticipantNotFound, s.Enter(Stranger.Key, Start, NextRandom()).Refusal?.Reason);
        Assert.Equal(SessionReasons.SessionEnded, s.EndSession(Actor(Technician), Start).State.Enter(Expert.Key, Start, NextRandom()).Refusal?.Reason);
    }

    [Fact]
    public void Expired_ticket_is_refused()
    {
        var (s, ticket) = AdmittedExpert();
        Assert.Equal(Start + SessionLimits.Default.TicketLifetime, ticket.ExpiresAt);
        Assert.Equal(SessionReasons.TicketExpired, s.RedeemTicket(ticket.Token, ticket.ExpiresAt).Refusal?.Reason);
        Assert.True(s.RedeemTicket(ticket.Token, ticket.ExpiresAt.AddTicks(-1)).Succeeded);
    }

    [Fact]
    public void Ticket_of_another_session_is_refused()
    {
        var (_, ticket) = AdmittedExpert();
        var other = SessionState.Schedule(Request() with { SessionName = SessionName + "-other" }, Inputs(), Meeting(), Now).GetValueOrThrow();
        Assert.Equal(SessionReasons.TicketWrongSession, other.RedeemTicket(ticket.Token, Start).Refusal?.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-dot")]
    [InlineData("a.b.c")]
    [InlineData("!!!.???")]
    public void Malformed_ticket_is_refused(string? token) =>
        Assert.Equal(SessionReasons.TicketMalformed, AdmittedExpert().State.RedeemTicket(token, Start).Refusal?.Reason);

    [Fact]
    public void Forged_ticket_for_the_right_session_is_not_found()
    {
        var (s, _) = AdmittedExpert();
        var forged = TicketTokens.NewToken(SessionName, new SeededRandom(424242));
        Assert.Equal(SessionReasons.TicketNotFound, s.RedeemTicket(forged, Start).Refusal?.Reason);
    }

    [Fact]
    public void Ticket_is_void_once_its_holder_left_or_the_session_ended()
    {
        var (s, ticket) = AdmittedExpert();
        Assert.Equal(SessionReasons.ParticipantNotAdmitted, s.Leave(Expert.Key, Start).State.RedeemTicket(ticket.Token, Start).Refusal?.Reason);
        Assert.Equal(SessionReasons.SessionEnded, s.EndSession(Actor(Technician), Start).State.RedeemTicket(ticket.Token, Start).Refusal?.Reason);
    }

    [Fact]
    public void State_keeps_only_the_hash_of_a_ticket_and_extra_tickets_are_bounded()
    {
        var (s, ticket) = AdmittedExpert();
        Assert.DoesNotContain(s.Tickets.Values, t => t.TokenHash.Contains(ticket.Token.Split('.')[1], StringComparison.Ordinal));
        for (var i = 0; i < SessionLimits.Default.MaxExtraTicketsPerParticipant; i++)
        {
            s = s.IssueTicket(Expert.Key, Start, NextRandom()).State;
        }

        Assert.Equal(SessionReasons.TicketLimitReached, s.IssueTicket(Expert.Key, Start, NextRandom()).Refusal?.Reason);
    }

    [Fact]
    public void Invitation_proof_verifies_for_its_session_and_address_only()
    {
        var proof = InvitationProof.Create(SessionKey, SessionName, "Expert@OEM.example ");
        Assert.Equal(43, proof.Length);
        Assert.True(InvitationProof.Verify(SessionKey, SessionName, "expert@oem.example", proof));
        Assert.False(InvitationProof.Verify(SessionKey, SessionName, "other@oem.example", proof));
        Assert.False(InvitationProof.Verify(SessionKey, SessionName + "x", "expert@oem.example", proof));
        Assert.False(InvitationProof.Verify(InvitationProof.DeriveSessionKey(ServiceKey, SessionName + "x"), SessionName, "expert@oem.example", proof));

        var tampered = (proof[0] == 'A' ? "B" : "A") + proof[1..];
        Assert.False(InvitationProof.Verify(SessionKey, SessionName, "expert@oem.example", tampered));
        Assert.False(InvitationProof.Verify(SessionKey, SessionName, "expert@oem.example", proof[..^1]));
        Assert.False(InvitationProof.Verify(SessionKey, SessionName, "expert@oem.example", "not base64url!"));
        Assert.False(InvitationProof.Verify(SessionKey, SessionName, "expert@oem.example", null));
        Assert.False(InvitationProof.Verify([], SessionName, "expert@oem.example", proof));
    }

    [Fact]
    public void Proof_for_an_address_that_was_not_invited_does_not_mark_the_guest_verified()
    {
        var proof = InvitationProof.Create(SessionKey, SessionName, Stranger.Email!);
        var d = Scheduled(invitees: [Expert]).JoinAt(Stranger, proof: proof).GetValueOrThrow();
        Assert.False(d.Participant.Invited);
        Assert.False(d.Participant.InvitationVerified);
    }

    private static (SessionState State, JoinTicket Ticket) AdmittedExpert()
    {
        var s = Scheduled().JoinAt(Expert).State;
        var admit = s.Admit(Actor(Technician), Expert.Key, BarrierVerdicts.None, Start, NextRandom());
        return (admit.State, admit.GetValueOrThrow().Ticket!);
    }
}
