using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using static RAOrchestrator.Server.Tests.Infrastructure.SessionWorld;

namespace RAOrchestrator.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class SessionTests(ServerFixture fixture)
{
    private const string Expert = "erin.expert@oem.example";
    private readonly SessionWorld _world = new(fixture, TestIds.NewPartner());

    private SessionService.SessionServiceClient Sessions => _world.Sessions;

    [Fact]
    public async Task The_published_example_runs_from_invitation_mail_through_the_lobby_to_a_redeemed_ticket()
    {
        var abc = await _world.TenantAsync();
        var created = (await Sessions.CreateSessionAsync(Schedule(abc, abc.Technician, Guest(Expert)))).Session;
        Assert.Equal(Session.Types.State.Scheduled, created.State);
        Assert.Equal(string.Empty, created.JoinUrl); // a bearer secret: only a redeemed ticket hands it out

        // The invitation went out by mail, carrying the partner's join page (not the Teams link).
        var mail = Assert.Single(fixture.Emulator.State.Tenants[abc.TenantId].Outbox, m => m.To == Expert);
        Assert.Equal("Pump P-17 alignment", mail.Subject);
        Assert.Null(mail.JoinUrl);
        Assert.Contains("https://join.partner.example/remote-assist?session=" + Uri.EscapeDataString(created.Name), mail.Body, StringComparison.Ordinal);
        // The Teams meeting lets everyone with its URL in, so a guest our lobby admitted is not held a second time.
        var meeting = Assert.Single(fixture.Emulator.State.Tenants[abc.TenantId].OnlineMeetings, m => (string?)m.Body["externalId"] == created.Name);
        var joinUrl = (string?)meeting.Body["joinWebUrl"];
        Assert.StartsWith("https://teams.microsoft.com/", joinUrl, StringComparison.Ordinal);
        Assert.Equal("everyone", (string?)meeting.Body["lobbyBypassSettings"]!["scope"]);

        var watcher = WatchToEndAsync(Sessions, created.Name);

        var waiting = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest(Expert), Client = ClientKind.TeamsDesktop });
        Assert.Equal(Participant.Types.State.InLobby, waiting.Participant.State);
        Assert.Null(waiting.Ticket);
        Assert.NotNull(waiting.Participant.LobbyDeadline);

        var technician = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Member(abc.Technician), Client = ClientKind.RemoteAssistHololens });
        Assert.Equal(Participant.Types.State.Admitted, technician.Participant.State);
        Assert.Equal("ORGANIZER", technician.Participant.StateReason);

        var admitted = await Sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = created.Name, ParticipantId = waiting.Participant.Id, Actor = Member(abc.Technician) });
        Assert.Equal(Participant.Types.State.Admitted, admitted.Participant.State);
        Assert.Equal(string.Empty, admitted.Ticket.JoinUrl);

        var redeemed = await Sessions.RedeemJoinTicketAsync(new RedeemJoinTicketRequest { Name = created.Name, Token = admitted.Ticket.Token });
        Assert.Equal((joinUrl, waiting.Participant.Id), (redeemed.JoinUrl, redeemed.ParticipantId));
        var replay = await RpcAssert.Fails(StatusCode.AlreadyExists, () => Sessions.RedeemJoinTicketAsync(new RedeemJoinTicketRequest { Name = created.Name, Token = admitted.Ticket.Token }));
        Assert.Equal("TICKET_ALREADY_USED", replay.Reason());

        var session = (await Sessions.GetSessionAsync(new GetSessionRequest { Name = created.Name, View = SessionView.Full })).Session;
        Assert.Equal(Session.Types.State.Active, session.State);
        Assert.All(session.Participants, p => Assert.Equal(Participant.Types.State.Admitted, p.State));
        Assert.Equal(2, session.Participants.Count);

        await Sessions.EndSessionAsync(new EndSessionRequest { Name = created.Name, Actor = Member(abc.Technician) });
        var seen = await watcher.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Enumerable.Range(1, seen.Count).Select(i => (long)i), seen.Select(e => e.Sequence));
        var guestId = waiting.Participant.Id;
        Assert.Equal(
            [
                (SessionEvent.Types.Kind.Scheduled, ""),
                (SessionEvent.Types.Kind.Invited, guestId),
                (SessionEvent.Types.Kind.JoinedLobby, guestId),
                (SessionEvent.Types.Kind.Started, ""),
                (SessionEvent.Types.Kind.Admitted, technician.Participant.Id),
                (SessionEvent.Types.Kind.TicketIssued, technician.Participant.Id),
                (SessionEvent.Types.Kind.Admitted, guestId),
                (SessionEvent.Types.Kind.TicketIssued, guestId),
                (SessionEvent.Types.Kind.TicketRedeemed, guestId),
                (SessionEvent.Types.Kind.Left, guestId),
                (SessionEvent.Types.Kind.Left, technician.Participant.Id),
                (SessionEvent.Types.Kind.Ended, ""),
            ],
            seen.Select(e => (e.Kind, e.Subject)).ToList());

        // The timeline kept for audit is the same history the watcher saw.
        Assert.Equal(session.Events, seen.Take(session.Events.Count));
    }

    [Fact]
    public async Task A_watcher_that_reconnects_resumes_after_the_last_event_it_saw()
    {
        var abc = await _world.TenantAsync();
        var created = (await Sessions.CreateSessionAsync(Schedule(abc, abc.Technician, Guest(Expert)))).Session;
        await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest(Expert), Client = ClientKind.TeamsDesktop });

        var first = new List<SessionEvent>();
        using (var cts = new CancellationTokenSource())
        {
            using var call = Sessions.WatchSession(new WatchSessionRequest { Name = created.Name }, cancellationToken: cts.Token);
            while (first.Count < 2 && await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                first.Add(call.ResponseStream.Current.Event);
            }

            cts.Cancel();
        }

        await Sessions.CancelSessionAsync(new CancelSessionRequest { Name = created.Name });
        var rest = await WatchToEndAsync(Sessions, created.Name, after: first[^1].Sequence);

        Assert.Equal(3, rest[0].Sequence);
        Assert.Equal(Enumerable.Range(1, first.Count + rest.Count).Select(i => (long)i), first.Concat(rest).Select(e => e.Sequence));
        Assert.Equal(SessionEvent.Types.Kind.Cancelled, rest[^1].Kind);
    }

    [Fact]
    public async Task Each_scheduling_refusal_names_its_reason()
    {
        var abc = await _world.TenantAsync();
        var meetNow = Schedule(abc, abc.Technician, Guest(Expert));
        meetNow.Session.StartTime = null;
        meetNow.Session.EndTime = null;
        Assert.Equal("MEET_NOW_NOT_SUPPORTED", (await RpcAssert.Fails(StatusCode.InvalidArgument, () => Sessions.CreateSessionAsync(meetNow))).Reason());

        var unlicensed = await _world.AddUserAsync(abc, "no-licence", "Una Unlicensed", licensed: false);
        Assert.Equal("ORGANIZER_NOT_LICENSED", (await RpcAssert.Fails(StatusCode.PermissionDenied, () => Sessions.CreateSessionAsync(Schedule(abc, unlicensed, Guest(Expert))))).Reason());

        var closed = await _world.TenantAsync(anonymousJoin: false);
        var anonymous = await RpcAssert.Fails(StatusCode.PermissionDenied, () => Sessions.CreateSessionAsync(Schedule(closed, closed.Technician, Guest(Expert))));
        Assert.Equal("ANONYMOUS_JOIN_DISABLED", anonymous.Reason());
        Assert.Equal(["session.invitations[0].person"], anonymous.ViolatedFields());

        var noUser = Schedule(abc, Guid.NewGuid().ToString());
        Assert.Equal("USER_NOT_FOUND", (await RpcAssert.Fails(StatusCode.FailedPrecondition, () => Sessions.CreateSessionAsync(noUser))).Reason());

        var bad = Schedule(abc, "not-a-guid", Guest("not an address"));
        bad.Session.Lobby = new LobbySettings { MaxWait = Duration.FromTimeSpan(TimeSpan.FromDays(3)) };
        Assert.Equal(
            ["session.organizer.tenant_user.user_id", "session.invitations[0].person.anonymous_guest.email", "session.lobby.max_wait"],
            (await RpcAssert.Fails(StatusCode.InvalidArgument, () => Sessions.CreateSessionAsync(bad))).ViolatedFields());

        // Nothing was scheduled by any refused request: no meeting, no mail.
        Assert.Empty(fixture.Emulator.State.Tenants[abc.TenantId].Outbox);
        Assert.Empty(fixture.Emulator.State.Tenants[closed.TenantId].Outbox);
        Assert.Empty((await Sessions.ListSessionsAsync(new ListSessionsRequest { Parent = abc.Name })).Sessions);
    }

    [Fact]
    public async Task Mobile_clients_are_refused_and_anonymous_participants_can_neither_admit_nor_invite()
    {
        var abc = await _world.TenantAsync();
        var created = (await Sessions.CreateSessionAsync(Schedule(abc, abc.Technician, Guest(Expert)))).Session;

        foreach (var client in new[] { ClientKind.TeamsMobile, ClientKind.RemoteAssistMobile })
        {
            var refused = await RpcAssert.Fails(StatusCode.PermissionDenied, () => Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest(Expert), Client = client }));
            Assert.Equal("CLIENT_NOT_SUPPORTED", refused.Reason());
        }

        var waiting = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest(Expert), Client = ClientKind.TeamsDesktop });
        var other = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest("second@oem.example", "Sam Second"), Client = ClientKind.TeamsDesktop });

        var admit = await RpcAssert.Fails(StatusCode.PermissionDenied, () => Sessions.AdmitParticipantAsync(new AdmitParticipantRequest
        {
            Name = created.Name,
            ParticipantId = other.Participant.Id,
            Actor = Guest(Expert),
        }));
        Assert.Equal("ANONYMOUS_CANNOT_ADMIT", admit.Reason());

        var invite = await RpcAssert.Fails(StatusCode.PermissionDenied, () => Sessions.InviteToSessionAsync(new InviteToSessionRequest
        {
            Name = created.Name,
            Actor = Guest(Expert),
            Invitees = { Guest("third@oem.example") },
        }));
        Assert.Equal("ANONYMOUS_CANNOT_INVITE", invite.Reason());

        var stranger = await _world.AddUserAsync(abc, "stranger", "Stan Stranger", licensed: true);
        var notOrganizer = await RpcAssert.Fails(StatusCode.PermissionDenied, () => Sessions.AdmitParticipantAsync(new AdmitParticipantRequest
        {
            Name = created.Name,
            ParticipantId = other.Participant.Id,
            Actor = Member(stranger),
        }));
        Assert.Equal("NOT_ORGANIZER_OR_ADMITTER", notOrganizer.Reason());

        var session = (await Sessions.GetSessionAsync(new GetSessionRequest { Name = created.Name })).Session;
        Assert.All(session.Participants, p => Assert.Equal(Participant.Types.State.InLobby, p.State));
        Assert.Single(session.Invitations);
        Assert.NotNull(waiting);
    }

    [Fact]
    public async Task An_invited_guest_with_its_invitation_proof_is_admitted_at_once_when_the_session_allows_it()
    {
        var abc = await _world.TenantAsync();
        var request = Schedule(abc, abc.Technician, Guest(Expert));
        request.Session.Lobby = new LobbySettings { Scope = LobbyScope.Organization, AutoAdmitVerifiedInvitees = true };
        var created = (await Sessions.CreateSessionAsync(request)).Session;
        var link = new Uri(Assert.Single(created.Invitations).InvitationLink);
        var proof = System.Web.HttpUtility.ParseQueryString(link.Query)["proof"];

        var forged = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest("someone.else@oem.example"), Client = ClientKind.TeamsDesktop, InvitationProof = proof });
        Assert.Equal(Participant.Types.State.InLobby, forged.Participant.State);

        var joined = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest(Expert), Client = ClientKind.TeamsDesktop, InvitationProof = proof });
        Assert.Equal(Participant.Types.State.Admitted, joined.Participant.State);
        Assert.True(joined.Participant.InvitationVerified);
        Assert.NotEmpty(joined.Ticket.Token);
    }

    [Fact]
    public async Task A_lobby_wait_past_the_limit_ends_with_its_reason()
    {
        var abc = await _world.TenantAsync();
        var request = Schedule(abc, abc.Technician, Guest(Expert));
        request.Session.Lobby = new LobbySettings { Scope = LobbyScope.Organization, MaxWait = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) };
        var created = (await Sessions.CreateSessionAsync(request)).Session;
        var watcher = Sessions.WatchSession(new WatchSessionRequest { Name = created.Name });

        var waiting = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest(Expert), Client = ClientKind.TeamsDesktop });

        SessionEvent? timedOut = null;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var response in watcher.ResponseStream.ReadAllAsync(limit.Token))
        {
            if (response.Event.Kind == SessionEvent.Types.Kind.TimedOut)
            {
                timedOut = response.Event;
                break;
            }
        }

        watcher.Dispose();
        Assert.Equal((waiting.Participant.Id, "LOBBY_TIMEOUT"), (timedOut!.Subject, timedOut.Reason));
        var participant = Assert.Single((await Sessions.GetSessionAsync(new GetSessionRequest { Name = created.Name })).Session.Participants);
        Assert.Equal((Participant.Types.State.TimedOut, "LOBBY_TIMEOUT"), (participant.State, participant.StateReason));
        var late = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => Sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = created.Name, ParticipantId = participant.Id }));
        Assert.Equal("PARTICIPANT_NOT_IN_LOBBY", late.Reason());
    }

    [Fact]
    public async Task Ending_a_session_releases_the_lobby_and_lets_everyone_admitted_leave()
    {
        var abc = await _world.TenantAsync();
        var created = (await Sessions.CreateSessionAsync(Schedule(abc, abc.Technician, Guest(Expert)))).Session;
        await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Member(abc.Technician), Client = ClientKind.RemoteAssistHololens });
        var waiting = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest(Expert), Client = ClientKind.TeamsDesktop });

        var ended = (await Sessions.EndSessionAsync(new EndSessionRequest { Name = created.Name })).Session;

        Assert.Equal(Session.Types.State.Ended, ended.State);
        Assert.Equal(Participant.Types.State.Released, ended.Participants.Single(p => p.Id == waiting.Participant.Id).State);
        Assert.Equal(Participant.Types.State.Left, ended.Participants.Single(p => p.Id != waiting.Participant.Id).State);
        var again = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest(Expert), Client = ClientKind.TeamsDesktop }));
        Assert.Equal("SESSION_ENDED", again.Reason());
    }

    [Fact]
    public async Task Scheduling_again_with_the_same_request_id_answers_the_same_session_and_mails_nobody_twice()
    {
        var abc = await _world.TenantAsync();
        var request = Schedule(abc, abc.Technician, Guest(Expert));

        var first = (await Sessions.CreateSessionAsync(request)).Session;
        var again = (await Sessions.CreateSessionAsync(request)).Session;

        Assert.Equal(first, again);
        Assert.Single(fixture.Emulator.State.Tenants[abc.TenantId].Outbox);
        request.RequestId = TestIds.NewRequestId();
        Assert.Equal("SESSION_EXISTS", (await RpcAssert.Fails(StatusCode.AlreadyExists, () => Sessions.CreateSessionAsync(request))).Reason());
    }

    [Fact]
    public async Task Another_partner_sees_none_of_the_sessions()
    {
        var abc = await _world.TenantAsync();
        var created = (await Sessions.CreateSessionAsync(Schedule(abc, abc.Technician))).Session;
        var stranger = new SessionService.SessionServiceClient(fixture.Server.Invoker(fixture.Tokens.Writer(TestIds.NewPartner())));

        var get = await RpcAssert.Fails(StatusCode.NotFound, () => stranger.GetSessionAsync(new GetSessionRequest { Name = created.Name }));
        var missing = await RpcAssert.Fails(StatusCode.NotFound, () => stranger.GetSessionAsync(new GetSessionRequest { Name = created.Name + "x" }));
        Assert.Equal(missing.Status.Detail.Replace(created.Name + "x", created.Name, StringComparison.Ordinal), get.Status.Detail);
        await RpcAssert.Fails(StatusCode.NotFound, () => stranger.ListSessionsAsync(new ListSessionsRequest { Parent = abc.Name }));
        await RpcAssert.Fails(StatusCode.NotFound, () => stranger.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest(Expert), Client = ClientKind.TeamsDesktop }));
        await RpcAssert.Fails(StatusCode.NotFound, () => stranger.EndSessionAsync(new EndSessionRequest { Name = created.Name }));
    }

    [Fact]
    public async Task A_user_of_another_onboarded_tenant_joins_as_a_federated_participant_when_both_tenants_allow_each_other()
    {
        var fabrikam = await _world.TenantAsync();
        var contoso = await _world.TenantAsync(anonymousJoin: true, fabrikam.TenantId);
        await AllowAsync(fabrikam, contoso.TenantId);
        var engineer = await _world.AddUserAsync(fabrikam, "engineer", "Fay Fabrikam", licensed: true);

        var created = (await Sessions.CreateSessionAsync(Schedule(contoso, contoso.Technician, Federated(fabrikam.TenantId, engineer)))).Session;
        var invitation = Assert.Single(created.Invitations);
        Assert.Equal($"user:{fabrikam.TenantId}/{engineer}", invitation.Id);

        var waiting = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Federated(fabrikam.TenantId, engineer), Client = ClientKind.RemoteAssistHololens });
        Assert.Equal((Participant.Types.State.InLobby, Participant.Types.Kind.Federated, "Fay Fabrikam"), (waiting.Participant.State, waiting.Participant.Kind, waiting.Participant.DisplayName));
        var admitted = await Sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = created.Name, ParticipantId = waiting.Participant.Id });
        Assert.Equal(Participant.Types.State.Admitted, admitted.Participant.State);
        Assert.Equal("partner:" + _world.Partner, admitted.Participant.DecidedBy);
    }

    [Fact]
    public async Task A_closed_allow_list_on_either_side_keeps_the_other_tenant_out()
    {
        var fabrikam = await _world.TenantAsync();
        var contoso = await _world.TenantAsync(anonymousJoin: true, fabrikam.TenantId);
        var engineer = await _world.AddUserAsync(fabrikam, "engineer", "Fay Fabrikam", licensed: true);

        // Contoso allows Fabrikam, but Fabrikam's allow list does not name Contoso.
        var invite = await RpcAssert.Fails(StatusCode.PermissionDenied, () => Sessions.CreateSessionAsync(Schedule(contoso, contoso.Technician, Federated(fabrikam.TenantId, engineer))));
        Assert.Equal("EXTERNAL_ACCESS_BLOCKED", invite.Reason());
        Assert.Contains($"tenant {fabrikam.TenantId}", invite.Status.Detail, StringComparison.OrdinalIgnoreCase);

        // Opened on Fabrikam's side, the session is scheduled; closing Contoso's side afterwards stops the join.
        await AllowAsync(fabrikam, contoso.TenantId);
        var created = (await Sessions.CreateSessionAsync(Schedule(contoso, contoso.Technician, Federated(fabrikam.TenantId, engineer)))).Session;
        await AllowAsync(contoso);
        var join = await RpcAssert.Fails(StatusCode.PermissionDenied, () => Sessions.JoinSessionAsync(new JoinSessionRequest
        {
            Name = created.Name,
            Person = Federated(fabrikam.TenantId, engineer),
            Client = ClientKind.TeamsDesktop,
        }));
        Assert.Equal("EXTERNAL_ACCESS_BLOCKED", join.Reason());

        var notOnboarded = Guid.NewGuid().ToString();
        var unknown = await RpcAssert.Fails(StatusCode.PermissionDenied, () => Sessions.CreateSessionAsync(Schedule(contoso, contoso.Technician, Federated(notOnboarded, Guid.NewGuid().ToString()))));
        Assert.Equal("EXTERNAL_ACCESS_BLOCKED", unknown.Reason());
    }

    [Fact]
    public async Task Inviting_more_people_later_mails_only_them_and_repeats_nothing()
    {
        var abc = await _world.TenantAsync();
        var created = (await Sessions.CreateSessionAsync(Schedule(abc, abc.Technician, Guest(Expert)))).Session;

        var added = await Sessions.InviteToSessionAsync(new InviteToSessionRequest
        {
            Name = created.Name,
            Actor = Member(abc.Technician),
            Invitees = { Guest("second@oem.example", "Sam Second"), Guest(Expert) },
        });

        Assert.Equal(["guest:second@oem.example"], added.Added.Select(a => a.Id));
        Assert.Equal(["guest:" + Expert], added.AlreadyInvited);
        Assert.StartsWith("https://join.partner.example/remote-assist?session=", added.Added[0].InvitationLink, StringComparison.Ordinal);
        var outbox = fixture.Emulator.State.Tenants[abc.TenantId].Outbox;
        Assert.Equal([Expert, "second@oem.example"], outbox.Select(m => m.To));
        var session = (await Sessions.GetSessionAsync(new GetSessionRequest { Name = created.Name })).Session;
        Assert.Equal(2, session.Invitations.Count);
    }

    [Fact]
    public async Task An_invitation_whose_mail_failed_is_mailed_when_the_call_is_retried_and_only_once()
    {
        var abc = await _world.TenantAsync();
        var created = (await Sessions.CreateSessionAsync(Schedule(abc, abc.Technician, Guest(Expert)))).Session;
        var outbox = fixture.Emulator.State.Tenants[abc.TenantId].Outbox;
        var invite = new InviteToSessionRequest
        {
            RequestId = TestIds.NewRequestId(),
            Name = created.Name,
            Actor = Member(abc.Technician),
            Invitees = { Guest("late@oem.example", "Lee Late"), Guest("later@oem.example", "Lou Later") },
        };

        // Graph refuses every calendar write: the invitations are stored, the mail is not sent, the call fails.
        fixture.Emulator.State.Faults.Settings = new GraphEmulator.FaultSettings { ServiceUnavailableRate = 1, ServiceUnavailableRetryAfterSeconds = 0, Endpoints = ["POST /users/{id}/events"] };
        try
        {
            await RpcAssert.Fails(StatusCode.Unavailable, () => Sessions.InviteToSessionAsync(invite));
        }
        finally
        {
            fixture.Emulator.State.Faults.Settings = new GraphEmulator.FaultSettings();
        }

        Assert.Equal(3, (await Sessions.GetSessionAsync(new GetSessionRequest { Name = created.Name })).Session.Invitations.Count); // the expert and both
        Assert.DoesNotContain(outbox, m => m.To.StartsWith("late", StringComparison.Ordinal));

        // The retry (same request id) answers what the first call did and sends its mail; a further retry sends nothing more.
        var retried = await Sessions.InviteToSessionAsync(invite);
        Assert.Equal(["guest:late@oem.example", "guest:later@oem.example"], retried.Added.Select(a => a.Id));
        Assert.Empty(retried.AlreadyInvited);
        await Sessions.InviteToSessionAsync(invite);
        Assert.Equal([Expert, "late@oem.example", "later@oem.example"], outbox.Select(m => m.To));
    }

    private async Task AllowAsync(OnboardedTenant tenant, params string[] tenants)
    {
        var update = new UpdateTenantRequest
        {
            Tenant = new Tenant { Name = tenant.Name },
            UpdateMask = new() { Paths = { "external_access_allowed_tenants" } },
        };
        update.Tenant.ExternalAccessAllowedTenants.AddRange(tenants);
        await _world.Tenants.UpdateTenantAsync(update);
    }
}
