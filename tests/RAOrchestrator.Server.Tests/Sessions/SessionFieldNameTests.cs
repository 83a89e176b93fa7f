using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using static RAOrchestrator.Server.Tests.Infrastructure.SessionWorld;

namespace RAOrchestrator.Server.Tests;

/// <summary>A refusal's BadRequest names the field of the request the caller sent, as the proto spells it.</summary>
[Collection(ServerCollection.Name)]
public sealed class SessionFieldNameTests(ServerFixture fixture)
{
    private readonly SessionWorld _world = new(fixture, TestIds.NewPartner());

    [Fact]
    public async Task Join_session_names_the_person_field_for_a_person_the_rules_refuse()
    {
        var abc = await _world.TenantAsync();
        var colleague = await _world.AddUserAsync(abc, "colleague", "Carl Colleague", licensed: false);
        var created = (await _world.Sessions.CreateSessionAsync(Schedule(abc, abc.Technician))).Session;

        // A user of the session's own tenant named as a federated user of it: the request field is person (not "who").
        var federated = await RpcAssert.Fails(StatusCode.InvalidArgument, () => _world.Sessions.JoinSessionAsync(new JoinSessionRequest
        {
            Name = created.Name,
            Person = Federated(abc.TenantId, colleague),
            Client = ClientKind.TeamsDesktop,
        }));
        Assert.Equal("IDENTITY_TENANT_MISMATCH", federated.Reason());
        Assert.Equal(["person"], federated.ViolatedFields());

    }

    [Fact]
    public async Task Create_session_names_the_invitation_of_a_person_the_rules_refuse_and_the_end_time()
    {
        var abc = await _world.TenantAsync();
        var colleague = await _world.AddUserAsync(abc, "colleague", "Carl Colleague", licensed: false);

        var invitee = await RpcAssert.Fails(StatusCode.InvalidArgument, () => _world.Sessions.CreateSessionAsync(Schedule(abc, abc.Technician, Guest("ok@oem.example"), Federated(abc.TenantId, colleague))));
        Assert.Equal("IDENTITY_TENANT_MISMATCH", invitee.Reason());
        Assert.Equal(["session.invitations[1].person"], invitee.ViolatedFields());

        var backwards = Schedule(abc, abc.Technician);
        backwards.Session.EndTime = backwards.Session.StartTime;
        var end = await RpcAssert.Fails(StatusCode.InvalidArgument, () => _world.Sessions.CreateSessionAsync(backwards));
        Assert.Equal(["session.end_time"], end.ViolatedFields());
    }

    [Fact]
    public async Task Invite_to_session_names_the_invitee_the_rules_refuse()
    {
        var abc = await _world.TenantAsync();
        var colleague = await _world.AddUserAsync(abc, "colleague", "Carl Colleague", licensed: false);
        var created = (await _world.Sessions.CreateSessionAsync(Schedule(abc, abc.Technician))).Session;

        var refused = await RpcAssert.Fails(StatusCode.InvalidArgument, () => _world.Sessions.InviteToSessionAsync(new InviteToSessionRequest
        {
            Name = created.Name,
            Invitees = { Federated(abc.TenantId, colleague) },
        }));
        Assert.Equal(["invitees[0]"], refused.ViolatedFields());
    }
}
