using System.Net;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using static RAOrchestrator.Server.Tests.Infrastructure.SessionWorld;

namespace RAOrchestrator.Server.Tests;

/// <summary>Made-up joins cannot lock a session, a fresh ticket needs the proof its guest was admitted with, and a meeting URL once handed out stops working when it should.</summary>
[Collection(ServerCollection.Name)]
public sealed class SessionLobbyTrustTests(ServerFixture fixture)
{
    private const string Expert = "erin.expert@oem.example";
    private readonly SessionWorld _world = new(fixture, TestIds.NewPartner());

    private SessionService.SessionServiceClient Sessions => _world.Sessions;

    [Fact]
    public async Task Twenty_five_made_up_anonymous_joins_lock_nobody_out()
    {
        var abc = await _world.TenantAsync();
        var colleague = await _world.AddUserAsync(abc, "casey", "Casey Colleague", licensed: false);
        var created = (await Sessions.CreateSessionAsync(Schedule(abc, abc.Technician, Guest(Expert)))).Session;

        var refused = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            try
            {
                var joined = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest($"made-up-{i}@spam.example"), Client = ClientKind.TeamsDesktop });
                await Sessions.DenyParticipantAsync(new DenyParticipantRequest { Name = created.Name, ParticipantId = joined.Participant.Id });
            }
            catch (RpcException ex)
            {
                Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
                refused.Add(ex.Reason());
            }
        }

        // Uninvited anonymous guests have a lobby budget of their own (20 entries a session)...
        Assert.Equal(Enumerable.Repeat("ANONYMOUS_LOBBY_LIMIT_REACHED", 5), refused);

        // ...and nobody else is refused because of them: the organizer, a member and the invited guest still get in.
        var organizer = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Member(abc.Technician), Client = ClientKind.RemoteAssistHololens });
        Assert.Equal(Participant.Types.State.Admitted, organizer.Participant.State);
        var member = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Member(colleague), Client = ClientKind.TeamsDesktop });
        Assert.Equal(Participant.Types.State.Admitted, member.Participant.State);
        var invited = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest(Expert), Client = ClientKind.TeamsDesktop });
        Assert.Equal(Participant.Types.State.InLobby, invited.Participant.State);
    }

    [Fact]
    public async Task An_admitted_guest_gets_a_fresh_ticket_only_with_the_proof_it_was_admitted_with()
    {
        var abc = await _world.TenantAsync();
        var request = Schedule(abc, abc.Technician, Guest(Expert));
        request.Session.Lobby = new LobbySettings { Scope = LobbyScope.Organization, AutoAdmitVerifiedInvitees = true };
        var created = (await Sessions.CreateSessionAsync(request)).Session;
        var proof = System.Web.HttpUtility.ParseQueryString(new Uri(Assert.Single(created.Invitations).InvitationLink).Query)["proof"];
        var admitted = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest(Expert), Client = ClientKind.TeamsDesktop, InvitationProof = proof });
        Assert.Equal(Participant.Types.State.Admitted, admitted.Participant.State);

        var impostor = await RpcAssert.Fails(StatusCode.PermissionDenied, () => Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest(Expert, "Not Erin"), Client = ClientKind.TeamsDesktop }));
        Assert.Equal("REJOIN_PROOF_REQUIRED", impostor.Reason());

        var again = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest(Expert), Client = ClientKind.TeamsDesktop, InvitationProof = proof });
        Assert.NotNull(again.Ticket);
        Assert.NotEqual(admitted.Ticket.Token, again.Ticket.Token);
    }

    [Fact]
    public async Task A_guest_the_organizer_admitted_without_a_proof_gets_no_fresh_ticket_by_naming_its_address()
    {
        var abc = await _world.TenantAsync();
        var created = (await Sessions.CreateSessionAsync(Schedule(abc, abc.Technician, Guest(Expert)))).Session;
        var waiting = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest(Expert), Client = ClientKind.TeamsDesktop });
        await Sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = created.Name, ParticipantId = waiting.Participant.Id });

        var impostor = await RpcAssert.Fails(StatusCode.PermissionDenied, () => Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest(Expert), Client = ClientKind.TeamsDesktop }));

        Assert.Equal("REJOIN_PROOF_REQUIRED", impostor.Reason());
    }

    [Fact]
    public async Task The_meeting_url_reaches_only_a_redeemed_ticket_and_stops_working_after_a_removal_and_the_end()
    {
        var abc = await _world.TenantAsync();
        var created = (await Sessions.CreateSessionAsync(Schedule(abc, abc.Technician, Guest(Expert)))).Session;
        Assert.Equal(string.Empty, created.JoinUrl);
        var organizer = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Member(abc.Technician), Client = ClientKind.RemoteAssistHololens });
        var waiting = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest(Expert), Client = ClientKind.TeamsDesktop });
        Assert.Null(waiting.Ticket);
        var admitted = await Sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = created.Name, ParticipantId = waiting.Participant.Id });
        Assert.Equal(string.Empty, admitted.Ticket.JoinUrl);
        Assert.Equal(string.Empty, organizer.Ticket.JoinUrl);

        var url = (await Sessions.RedeemJoinTicketAsync(new RedeemJoinTicketRequest { Name = created.Name, Token = admitted.Ticket.Token })).JoinUrl;
        Assert.Equal(HttpStatusCode.OK, await OpenAsync(url));
        var seen = (await Sessions.GetSessionAsync(new GetSessionRequest { Name = created.Name, View = SessionView.Full })).Session;
        Assert.Equal(string.Empty, seen.JoinUrl);
        Assert.DoesNotContain(seen.Events, e => e.ToString().Contains(url, StringComparison.Ordinal));

        await Sessions.RemoveParticipantAsync(new RemoveParticipantRequest { Name = created.Name, ParticipantId = waiting.Participant.Id });
        Assert.Equal(HttpStatusCode.NotFound, await OpenAsync(url));

        // Those still admitted get in through a new meeting.
        var organizerUrl = (await Sessions.RedeemJoinTicketAsync(new RedeemJoinTicketRequest { Name = created.Name, Token = organizer.Ticket.Token })).JoinUrl;
        Assert.NotEqual(url, organizerUrl);
        Assert.Equal(HttpStatusCode.OK, await OpenAsync(organizerUrl));

        await Sessions.EndSessionAsync(new EndSessionRequest { Name = created.Name });
        Assert.Equal(HttpStatusCode.NotFound, await OpenAsync(organizerUrl));
    }

    [Fact]
    public async Task A_replacement_graph_refuses_holds_every_ticket_until_it_is_made_and_it_is_made_once()
    {
        var abc = await _world.TenantAsync();
        var created = (await Sessions.CreateSessionAsync(Schedule(abc, abc.Technician, Guest(Expert)))).Session;
        var organizer = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Member(abc.Technician), Client = ClientKind.RemoteAssistHololens });
        var waiting = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest(Expert), Client = ClientKind.TeamsDesktop });
        var admitted = await Sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = created.Name, ParticipantId = waiting.Participant.Id });
        var url = (await Sessions.RedeemJoinTicketAsync(new RedeemJoinTicketRequest { Name = created.Name, Token = admitted.Ticket.Token })).JoinUrl;

        // Teams refuses to make meetings: the old one is deleted all the same, and no ticket redeems until a new one exists.
        fixture.Emulator.State.Faults.Settings = new GraphEmulator.FaultSettings { ServiceUnavailableRate = 1, ServiceUnavailableRetryAfterSeconds = 0, Endpoints = ["POST /users/{id}/onlineMeetings/{id}"] };
        try
        {
            await RpcAssert.Fails(StatusCode.Unavailable, () => Sessions.RemoveParticipantAsync(new RemoveParticipantRequest { Name = created.Name, ParticipantId = waiting.Participant.Id }));
            Assert.Equal(HttpStatusCode.NotFound, await OpenAsync(url));
            await RpcAssert.Fails(StatusCode.Unavailable, () => Sessions.RedeemJoinTicketAsync(new RedeemJoinTicketRequest { Name = created.Name, Token = organizer.Ticket.Token }));
        }
        finally
        {
            fixture.Emulator.State.Faults.Settings = new GraphEmulator.FaultSettings();
        }

        var organizerUrl = (await Sessions.RedeemJoinTicketAsync(new RedeemJoinTicketRequest { Name = created.Name, Token = organizer.Ticket.Token })).JoinUrl;
        Assert.Equal(HttpStatusCode.OK, await OpenAsync(organizerUrl));
        var removed = await Sessions.RemoveParticipantAsync(new RemoveParticipantRequest { Name = created.Name, ParticipantId = waiting.Participant.Id });
        Assert.Equal(Participant.Types.State.Removed, removed.Participant.State);
        Assert.Single(fixture.Emulator.State.Tenants[abc.TenantId].OnlineMeetings, m => ((string?)m.Body["externalId"])?.StartsWith(created.Name, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Cancelling_deletes_the_teams_meeting()
    {
        var abc = await _world.TenantAsync();
        var created = (await Sessions.CreateSessionAsync(Schedule(abc, abc.Technician, Guest(Expert)))).Session;
        Assert.Contains(fixture.Emulator.State.Tenants[abc.TenantId].OnlineMeetings, m => ((string?)m.Body["externalId"])?.StartsWith(created.Name, StringComparison.Ordinal) == true);

        await Sessions.CancelSessionAsync(new CancelSessionRequest { Name = created.Name });

        Assert.DoesNotContain(fixture.Emulator.State.Tenants[abc.TenantId].OnlineMeetings, m => ((string?)m.Body["externalId"])?.StartsWith(created.Name, StringComparison.Ordinal) == true);
    }

    /// <summary>What Teams answers someone who opens the join URL (the emulator's model of it).</summary>
    private async Task<HttpStatusCode> OpenAsync(string joinUrl)
    {
        using var http = fixture.Emulator.CreateHttpClient();
        using var response = await http.GetAsync("/_emulator/teams/join?url=" + Uri.EscapeDataString(joinUrl));
        return response.StatusCode;
    }
}
