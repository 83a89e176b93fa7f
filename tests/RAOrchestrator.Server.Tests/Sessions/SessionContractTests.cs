using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using static RAOrchestrator.Server.Tests.Infrastructure.SessionWorld;

namespace RAOrchestrator.Server.Tests;

/// <summary>What the session contract promises beyond the lobby: etag and update_time, participant kinds and names, views.</summary>
[Collection(ServerCollection.Name)]
public sealed class SessionContractTests(ServerFixture fixture)
{
    private readonly SessionWorld _world = new(fixture, TestIds.NewPartner());

    private SessionService.SessionServiceClient Sessions => _world.Sessions;

    [Fact]
    public async Task Every_method_that_changes_a_session_gives_it_a_new_etag_and_a_later_update_time()
    {
        var abc = await _world.TenantAsync();
        var created = (await Sessions.CreateSessionAsync(Schedule(abc, abc.Technician))).Session;
        Assert.NotEmpty(created.Etag);
        Assert.Equal(created.CreateTime, created.UpdateTime);
        var last = created;

        async Task<Session> ChangedAsync(string method)
        {
            var now = (await Sessions.GetSessionAsync(new GetSessionRequest { Name = created.Name })).Session;
            Assert.True(now.Etag != last.Etag, $"{method} left the etag {now.Etag}");
            Assert.True(now.UpdateTime.ToDateTimeOffset() > last.UpdateTime.ToDateTimeOffset(), $"{method} left update_time at {now.UpdateTime}");
            last = now;
            return now;
        }

        await Sessions.InviteToSessionAsync(new InviteToSessionRequest { Name = created.Name, Invitees = { Guest("a@oem.example") } });
        await ChangedAsync("InviteToSession");
        var a = (await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest("a@oem.example"), Client = ClientKind.TeamsDesktop })).Participant;
        await ChangedAsync("JoinSession");
        var admitted = await Sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = created.Name, ParticipantId = a.Id });
        await ChangedAsync("AdmitParticipant");
        await Sessions.RedeemJoinTicketAsync(new RedeemJoinTicketRequest { Name = created.Name, Token = admitted.Ticket.Token });
        await ChangedAsync("RedeemJoinTicket");
        await Sessions.RemoveParticipantAsync(new RemoveParticipantRequest { Name = created.Name, ParticipantId = a.Id });
        await ChangedAsync("RemoveParticipant");
        var b = (await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest("b@oem.example"), Client = ClientKind.TeamsDesktop })).Participant;
        await ChangedAsync("JoinSession");
        await Sessions.DenyParticipantAsync(new DenyParticipantRequest { Name = created.Name, ParticipantId = b.Id });
        await ChangedAsync("DenyParticipant");
        var c = (await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest("c@oem.example"), Client = ClientKind.TeamsDesktop })).Participant;
        await ChangedAsync("JoinSession");
        await Sessions.LeaveSessionAsync(new LeaveSessionRequest { Name = created.Name, ParticipantId = c.Id });
        await ChangedAsync("LeaveSession");
        var ended = (await Sessions.EndSessionAsync(new EndSessionRequest { Name = created.Name })).Session;
        var afterEnd = await ChangedAsync("EndSession");
        Assert.Equal((afterEnd.Etag, afterEnd.UpdateTime), (ended.Etag, ended.UpdateTime));

        var other = (await Sessions.CreateSessionAsync(Schedule(abc, abc.Technician))).Session;
        var cancelled = (await Sessions.CancelSessionAsync(new CancelSessionRequest { Name = other.Name })).Session;
        Assert.NotEqual(other.Etag, cancelled.Etag);
        Assert.True(cancelled.UpdateTime.ToDateTimeOffset() > other.UpdateTime.ToDateTimeOffset());

        // Reading changes nothing.
        var again = (await Sessions.GetSessionAsync(new GetSessionRequest { Name = other.Name })).Session;
        Assert.Equal((cancelled.Etag, cancelled.UpdateTime), (again.Etag, again.UpdateTime));
    }

    [Fact]
    public async Task Participants_have_a_kind_and_a_resource_name_that_requests_accept()
    {
        var abc = await _world.TenantAsync();
        var created = (await Sessions.CreateSessionAsync(Schedule(abc, abc.Technician))).Session;
        var guest = (await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest("kim@oem.example"), Client = ClientKind.TeamsDesktop })).Participant;
        var technician = (await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Member(abc.Technician), Client = ClientKind.RemoteAssistHololens })).Participant;

        Assert.Equal((Participant.Types.Kind.Anonymous, Participant.Types.Kind.Member), (guest.Kind, technician.Kind));
        Assert.Matches($"^{created.Name}/participants/p[0-9a-f]{{24}}$", guest.Name);
        Assert.DoesNotContain("kim", guest.Name, StringComparison.Ordinal); // no e-mail address in a name
        Assert.NotEqual(guest.Name, technician.Name);
        var listed = (await Sessions.GetSessionAsync(new GetSessionRequest { Name = created.Name })).Session.Participants.Single(p => p.Id == guest.Id);
        Assert.Equal(guest.Name, listed.Name);

        var admitted = await Sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = created.Name, ParticipantId = guest.Name });
        Assert.Equal((Participant.Types.State.Admitted, guest.Id, guest.Name), (admitted.Participant.State, admitted.Participant.Id, admitted.Participant.Name));
        Assert.NotNull(admitted.Ticket);

        // A name of another session's participant is not one of this session's.
        var other = (await Sessions.CreateSessionAsync(Schedule(abc, abc.Technician))).Session;
        var foreign = await RpcAssert.Fails(StatusCode.InvalidArgument, () => Sessions.RemoveParticipantAsync(new RemoveParticipantRequest { Name = other.Name, ParticipantId = guest.Name }));
        Assert.Equal(["participant_id"], foreign.ViolatedFields());
        var unknown = await RpcAssert.Fails(StatusCode.NotFound, () => Sessions.LeaveSessionAsync(new LeaveSessionRequest { Name = created.Name, ParticipantId = $"{created.Name}/participants/p{new string('0', 24)}" }));
        Assert.Equal("PARTICIPANT_NOT_FOUND", unknown.Reason());
    }

    [Fact]
    public async Task The_timeline_comes_only_with_the_full_view()
    {
        var abc = await _world.TenantAsync();
        var created = (await Sessions.CreateSessionAsync(Schedule(abc, abc.Technician, Guest("lee@oem.example")))).Session;
        Assert.Empty(created.Events);

        var basic = (await Sessions.GetSessionAsync(new GetSessionRequest { Name = created.Name })).Session;
        var full = (await Sessions.GetSessionAsync(new GetSessionRequest { Name = created.Name, View = SessionView.Full })).Session;
        Assert.Empty(basic.Events);
        Assert.Equal([SessionEvent.Types.Kind.Scheduled, SessionEvent.Types.Kind.Invited], full.Events.Select(e => e.Kind));
        Assert.Equal(basic.LastSequence, full.Events[^1].Sequence);
        Assert.Equal(basic, full.Clone().Also(s => s.Events.Clear()));

        var listed = (await Sessions.ListSessionsAsync(new ListSessionsRequest { Parent = abc.Name })).Sessions.Single(s => s.Name == created.Name);
        var listedFull = (await Sessions.ListSessionsAsync(new ListSessionsRequest { Parent = abc.Name, View = SessionView.Full })).Sessions.Single(s => s.Name == created.Name);
        Assert.Empty(listed.Events);
        Assert.Equal(full.Events, listedFull.Events);

        var bad = await RpcAssert.Fails(StatusCode.InvalidArgument, () => Sessions.GetSessionAsync(new GetSessionRequest { Name = created.Name, View = (SessionView)7 }));
        Assert.Equal(["view"], bad.ViolatedFields());
    }
}

internal static class CloneExtensions
{
    public static T Also<T>(this T value, Action<T> change)
    {
        change(value);
        return value;
    }
}
