using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using static RAOrchestrator.Server.Tests.Infrastructure.SessionWorld;

namespace RAOrchestrator.Server.Tests;

/// <summary>Every session mutation that takes a request_id answers a repeat with its first result; an empty id is no key.</summary>
[Collection(ServerCollection.Name)]
public sealed class SessionRequestIdTests(ServerFixture fixture)
{
    private readonly SessionWorld _world = new(fixture, TestIds.NewPartner());

    private SessionService.SessionServiceClient Sessions => _world.Sessions;

    [Fact]
    public async Task Two_creates_without_a_request_id_are_not_retries_of_each_other()
    {
        var abc = await _world.TenantAsync();
        var request = Schedule(abc, abc.Technician, Guest("erin.expert@oem.example"));
        request.RequestId = string.Empty;
        await Sessions.CreateSessionAsync(request);

        request.Session.Subject = "Another meeting under the same id";
        var second = await RpcAssert.Fails(StatusCode.AlreadyExists, () => Sessions.CreateSessionAsync(request));

        Assert.Equal("SESSION_EXISTS", second.Reason());
    }

    [Fact]
    public async Task A_repeated_invite_returns_the_first_result_even_after_more_invites_and_the_end()
    {
        var abc = await _world.TenantAsync();
        var created = (await Sessions.CreateSessionAsync(Schedule(abc, abc.Technician))).Session;
        var invite = new InviteToSessionRequest { RequestId = TestIds.NewRequestId(), Name = created.Name, Invitees = { Guest("first@oem.example") } };
        var first = await Sessions.InviteToSessionAsync(invite);
        var both = new InviteToSessionRequest { RequestId = TestIds.NewRequestId(), Name = created.Name, Invitees = { Guest("first@oem.example"), Guest("second@oem.example") } };
        var firstOfBoth = await Sessions.InviteToSessionAsync(both);
        Assert.Equal(["guest:first@oem.example"], firstOfBoth.AlreadyInvited);

        var repeat = await Sessions.InviteToSessionAsync(invite);
        Assert.Equal(first, repeat);
        Assert.Equal(firstOfBoth, await Sessions.InviteToSessionAsync(both));

        await Sessions.CancelSessionAsync(new CancelSessionRequest { Name = created.Name });
        var afterEnd = await Sessions.InviteToSessionAsync(invite);
        Assert.Equal(first, afterEnd);
        Assert.Single(fixture.Emulator.State.Tenants[abc.TenantId].Outbox, m => m.To == "first@oem.example");
    }

    [Fact]
    public async Task A_repeated_end_or_cancel_returns_the_first_result()
    {
        var abc = await _world.TenantAsync();
        var cancelled = (await Sessions.CreateSessionAsync(Schedule(abc, abc.Technician))).Session;
        var cancel = new CancelSessionRequest { RequestId = TestIds.NewRequestId(), Name = cancelled.Name, Actor = Member(abc.Technician) };
        var firstCancel = await Sessions.CancelSessionAsync(cancel);
        Assert.Equal(firstCancel, await Sessions.CancelSessionAsync(cancel));

        var ended = (await Sessions.CreateSessionAsync(Schedule(abc, abc.Technician))).Session;
        await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = ended.Name, Person = Member(abc.Technician), Client = ClientKind.RemoteAssistHololens });
        var end = new EndSessionRequest { RequestId = TestIds.NewRequestId(), Name = ended.Name, Actor = Member(abc.Technician) };
        var firstEnd = await Sessions.EndSessionAsync(end);
        Assert.Equal(firstEnd, await Sessions.EndSessionAsync(end));

        // The same id for the other kind of close is not a repeat of it: the session says why it cannot.
        var crossed = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => Sessions.CancelSessionAsync(new CancelSessionRequest { RequestId = end.RequestId, Name = ended.Name }));
        Assert.Equal("SESSION_ENDED", crossed.Reason());
    }
}
