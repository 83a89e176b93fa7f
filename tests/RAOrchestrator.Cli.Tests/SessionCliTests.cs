using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using RAOrchestrator.Cli.Tests.Infrastructure;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class SessionCliTests(CliFixture fixture)
{
    private const string Expert = "erin@oem.example";
    private readonly string _partner = Tenants.NewPartner();

    [Fact]
    public async Task A_guest_waiting_in_the_lobby_is_admitted_with_raorch_while_a_watch_streams_the_session_to_its_end()
    {
        var tenant = await Tenants.OnboardAsync(fixture, _partner);
        var technician = await Tenants.AddTechnicianAsync(fixture.Emulator, tenant.Split('/')[1]);
        using var api = fixture.Api(_partner);
        var guest = new Person { AnonymousGuest = new Person.Types.AnonymousGuest { Email = Expert, DisplayName = "Erin Expert" } };
        var session = await ScheduleAsync(api, tenant, technician, "pump-p17", guest);
        var waiting = (await api.Sessions.JoinSessionAsync(new JoinSessionRequest { Name = session.Name, Person = guest, Client = ClientKind.TeamsDesktop })).Participant;
        Assert.Equal(Participant.Types.State.InLobby, waiting.State);
        using var cli = new CliRunner(fixture, fixture.Token(_partner));
        var shortName = $"{tenant.Split('/')[1]}/pump-p17";

        // Someone follows the session live while the partner's staff look at the lobby and admit the guest.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var watch = cli.RunAsync(TextReader.Null, timeout.Token, "sessions", "watch", shortName, "-o", "json");
        var listed = await cli.RunAsync("sessions", "list", tenant);
        var shown = await cli.RunAsync("sessions", "get", shortName);
        var admitted = await cli.RunAsync("sessions", "admit", shortName, waiting.Id);

        Assert.True(listed.ExitCode == ExitCodes.Ok, listed.ToString());
        Assert.Matches(@$"{session.Name}\s*│\s*Pump P-17 alignment\s*│\s*scheduled\s*│[^│]*│[^│]*│\s*1\s*│\s*0\s*│", listed.Out);
        Assert.True(shown.ExitCode == ExitCodes.Ok, shown.ToString());
        Assert.Matches(@$"{waiting.Id}\s*│\s*Erin Expert\s*│\s*anonymous\s*│\s*teams desktop\s*│\s*in lobby", shown.Out);
        Assert.True(admitted.ExitCode == ExitCodes.Ok, admitted.ToString());
        Assert.Matches(@"State:\s+admitted", admitted.Out);
        Assert.Matches(@"Decided by:\s+partner:" + _partner, admitted.Out);
        var participant = (await api.Sessions.GetSessionAsync(new GetSessionRequest { Name = session.Name })).Session.Participants.Single(p => p.Id == waiting.Id);
        Assert.Equal(Participant.Types.State.Admitted, participant.State);

        // Denying someone no longer waiting is a conflict, and an unknown participant is not found: a script can tell them apart.
        var late = await cli.RunAsync("sessions", "deny", shortName, waiting.Id);
        Assert.True(late.ExitCode == ExitCodes.Conflict, late.ToString());
        Assert.Contains("PARTICIPANT_NOT_IN_LOBBY", late.Error, StringComparison.Ordinal);
        var nobody = await cli.RunAsync("sessions", "admit", shortName, "guest:nobody@oem.example");
        Assert.True(nobody.ExitCode == ExitCodes.NotFound, nobody.ToString());

        await api.Sessions.EndSessionAsync(new EndSessionRequest { Name = session.Name });
        var watched = await watch;

        Assert.True(watched.ExitCode == ExitCodes.Ok, watched.ToString());
        var events = watched.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).ToArray();
        Assert.Equal(Enumerable.Range(1, events.Length).Select(i => i.ToString()), events.Select(e => (string?)e["sequence"]));
        var kinds = events.Select(e => (string?)e["kind"]).ToArray();
        Assert.Equal("KIND_SCHEDULED", kinds[0]);
        Assert.Equal("KIND_ENDED", kinds[^1]);
        Assert.Contains("KIND_JOINED_LOBBY", kinds);
        Assert.Contains(events, e => (string?)e["kind"] == "KIND_ADMITTED" && (string?)e["subject"] == waiting.Id);
    }

    [Fact]
    public async Task Denying_a_guest_from_the_lobby_leaves_it_denied()
    {
        var tenant = await Tenants.OnboardAsync(fixture, _partner);
        var technician = await Tenants.AddTechnicianAsync(fixture.Emulator, tenant.Split('/')[1]);
        using var api = fixture.Api(_partner);
        var guest = new Person { AnonymousGuest = new Person.Types.AnonymousGuest { Email = Expert, DisplayName = "Erin Expert" } };
        var session = await ScheduleAsync(api, tenant, technician, "valve-v2", guest);
        var waiting = (await api.Sessions.JoinSessionAsync(new JoinSessionRequest { Name = session.Name, Person = guest, Client = ClientKind.TeamsDesktop })).Participant;
        using var cli = new CliRunner(fixture, fixture.Token(_partner));

        var denied = await cli.RunAsync("sessions", "deny", session.Name, waiting.Id, "-o", "json");

        Assert.True(denied.ExitCode == ExitCodes.Ok, denied.ToString());
        Assert.Equal("STATE_DENIED", (string?)JsonNode.Parse(denied.Out)!["participant"]!["state"]);
        var participant = (await api.Sessions.GetSessionAsync(new GetSessionRequest { Name = session.Name })).Session.Participants.Single(p => p.Id == waiting.Id);
        Assert.Equal(Participant.Types.State.Denied, participant.State);
    }

    [Fact]
    public async Task Scheduling_a_session_with_raorch_invites_the_guests_and_prints_each_invitation_link()
    {
        var tenant = await Tenants.OnboardAsync(fixture, _partner);
        var technician = await Tenants.AddTechnicianAsync(fixture.Emulator, tenant.Split('/')[1]);
        using var cli = new CliRunner(fixture, fixture.Token(_partner));

        var scheduled = await cli.RunAsync("sessions", "schedule", tenant, "--organizer", technician, "--subject", "Pump P-17 alignment",
            "--id", "pump-p18", "--start-in", "10", "--minutes", "30", "--guest", $"{Expert}=Erin Expert", "--guest", "sam@oem.example");

        Assert.True(scheduled.ExitCode == ExitCodes.Ok, scheduled.ToString());
        var name = $"{tenant}/sessions/pump-p18";
        Assert.Contains(name, scheduled.Out, StringComparison.Ordinal);
        Assert.True(Regex.IsMatch(scheduled.Out, @$"Link for {Regex.Escape(Expert)}:\s+http\S*\?session={Regex.Escape(Uri.EscapeDataString(name))}&email="), scheduled.Out);
        using var api = fixture.Api(_partner);
        var session = (await api.Sessions.GetSessionAsync(new GetSessionRequest { Name = name })).Session;
        Assert.Equal(["Erin Expert", "sam"], session.Invitations.Select(i => i.Person.AnonymousGuest.DisplayName).Order());
        Assert.Equal(TimeSpan.FromMinutes(30), session.EndTime.ToDateTimeOffset() - session.StartTime.ToDateTimeOffset());
        Assert.InRange(session.StartTime.ToDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(8), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task Scheduling_with_a_bad_option_or_a_bad_guest_address_names_it_and_exits_with_the_usage_code()
    {
        var tenant = await Tenants.OnboardAsync(fixture, _partner);
        var technician = await Tenants.AddTechnicianAsync(fixture.Emulator, tenant.Split('/')[1]);
        using var cli = new CliRunner(fixture, fixture.Token(_partner));

        var tooLong = await cli.RunAsync("sessions", "schedule", tenant, "--organizer", technician, "--subject", "x", "--minutes", "0");
        var badGuest = await cli.RunAsync("sessions", "schedule", tenant, "--organizer", technician, "--subject", "x", "--guest", "not-an-address=Someone");

        Assert.True(tooLong.ExitCode == ExitCodes.Usage, tooLong.ToString());
        Assert.Contains("--minutes", tooLong.Error, StringComparison.Ordinal);
        Assert.True(badGuest.ExitCode == ExitCodes.Usage, badGuest.ToString());
        Assert.Contains("email", badGuest.Error, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A session in five minutes, organised by the technician, with the guest invited.</summary>
    private static async Task<Session> ScheduleAsync(Client.RAOrchestratorClient api, string tenant, string technician, string id, Person guest) =>
        (await api.Sessions.CreateSessionAsync(new CreateSessionRequest
        {
            Parent = tenant,
            SessionId = id,
            Session = new Session
            {
                Organizer = new Person { TenantUser = new Person.Types.TenantUser { UserId = technician } },
                Subject = "Pump P-17 alignment",
                StartTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(5)),
                EndTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(1)),
                Invitations = { new Invitation { Person = guest } },
            },
        })).Session;
}
