using RAOrchestrator.Domain.Sessions;
using static RAOrchestrator.Domain.Tests.Sessions.SessionFixture;

namespace RAOrchestrator.Domain.Tests.Sessions;

/// <summary>"Vendor and contractor usage of Remote Assist", the Company ABC example, in domain terms.</summary>
public sealed class PublishedExampleTests
{
    [Fact]
    public void Hololens_organizer_schedules_invites_oem_expert_who_waits_in_lobby_is_admitted_and_redeems_a_ticket_once()
    {
        // Company ABC's HoloLens user schedules a meeting and invites the OEM expert by e-mail.
        var lobby = Lobby(LobbyScope.Organization, maxWait: TimeSpan.FromMinutes(15));
        var request = Request(invitees: [Expert], lobby: lobby);
        Assert.Null(SessionState.CheckSchedule(request, Inputs(), Now));
        var teams = LobbyPolicy.ForTeamsMeeting(lobby, gateFrontsMeeting: true);
        Assert.Equal("everyone", teams.GraphScope);
        var session = SessionState.Schedule(request, Inputs(), new OnlineMeeting(JoinUrl, "m1", teams), Now).GetValueOrThrow();
        Assert.Equal(SessionStatus.Scheduled, session.Status);

        // The invitation mail carries a proof for the expert's address.
        var proof = InvitationProof.Create(SessionKey, SessionName, "expert@oem.example");

        // The HoloLens user joins from Remote Assist at the start and goes straight in.
        var organizerJoin = session.JoinAt(Technician, Start, ClientKind.RemoteAssistHoloLens);
        Assert.True(organizerJoin.GetValueOrThrow().Admitted);
        session = organizerJoin.State;
        Assert.Equal(SessionStatus.Active, session.Status);

        // The expert joins anonymously from Teams desktop and waits in the lobby (anonymous users never bypass "organization").
        var expertJoin = session.JoinAt(Expert, Start.AddMinutes(2), ClientKind.TeamsDesktop, proof);
        var waiting = expertJoin.GetValueOrThrow();
        Assert.True(waiting.InLobby);
        Assert.True(waiting.Participant.Invited);
        Assert.True(waiting.Participant.InvitationVerified);
        Assert.Null(waiting.Ticket);
        session = expertJoin.State;
        Assert.Single(session.LobbyQueue);

        // The HoloLens app cannot admit; the organizer admits through the API.
        var admit = session.Admit(Actor(Technician), Expert.Key, BarrierVerdicts.None, Start.AddMinutes(3), NextRandom());
        var admitted = admit.GetValueOrThrow();
        Assert.Equal(ParticipantStatus.Admitted, admitted.Participant.Status);
        var ticket = Assert.IsType<JoinTicket>(admitted.Ticket);
        Assert.Equal(string.Empty, ticket.JoinUrl); // the URL comes only with the redemption
        session = admit.State;

        // The ticket is redeemed once for the join URL; a replay is refused.
        var redeem = session.RedeemTicket(ticket.Token, Start.AddMinutes(4));
        Assert.Equal(JoinUrl, redeem.GetValueOrThrow().JoinUrl);
        session = redeem.State;
        var replay = session.RedeemTicket(ticket.Token, Start.AddMinutes(4));
        Assert.Equal(SessionReasons.TicketAlreadyUsed, replay.Refusal?.Reason);

        // The organizer ends the session; the expert leaves with it.
        var end = session.EndSession(Actor(Technician), Start.AddMinutes(50));
        Assert.Equal(new[] { Expert.Key, Technician.Key }, end.GetValueOrThrow().Left.Sort(StringComparer.Ordinal).ToArray());
        session = end.State;

        Assert.Equal(
            [
                SessionEventKind.Scheduled, SessionEventKind.Invited,
                SessionEventKind.Started, SessionEventKind.Admitted, SessionEventKind.TicketIssued,
                SessionEventKind.JoinedLobby,
                SessionEventKind.Admitted, SessionEventKind.TicketIssued,
                SessionEventKind.TicketRedeemed,
                SessionEventKind.Left, SessionEventKind.Left, SessionEventKind.Ended,
            ],
            session.Events.Select(e => e.Kind));
        Assert.Equal(Enumerable.Range(1, session.Events.Count).Select(i => (long)i), session.Events.Select(e => e.Sequence));
        Assert.Equal(Technician.Key, session.Events[6].Actor);
        Assert.Equal(SessionStatus.Ended, session.Status);
    }
}
