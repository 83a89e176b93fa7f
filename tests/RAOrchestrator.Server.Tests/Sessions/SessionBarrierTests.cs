using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using static RAOrchestrator.Server.Tests.Infrastructure.SessionWorld;
using Proto = RAOrchestrator.Contracts.V1.BarrierPolicy;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// The vendor example end to end: vendor accounts (segment Vendors-OEM) may reach Field-Technicians but not Finance,
/// and search, invitation and admission each honour it.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SessionBarrierTests(ServerFixture fixture)
{
    private readonly SessionWorld _world = new(fixture, TestIds.NewPartner());

    [Fact]
    public async Task Search_invitation_and_admission_each_keep_a_vendor_away_from_finance()
    {
        var abc = await _world.TenantAsync();
        var vendor = await _world.AddUserAsync(abc, "oem-vendor", "Otto OEM", licensed: true, company: "OEM Ltd");
        var controller = await _world.AddUserAsync(abc, "fin-controller", "Fiona Finance", licensed: true, department: "Finance");
        await DefineAndApplyAsync(abc);

        // Search: the vendor finds the technician, not the controller.
        var directory = new DirectoryService.DirectoryServiceClient(fixture.Server.Invoker(fixture.Tokens.Reader(_world.Partner)));
        var found = await directory.SearchUsersAsync(new SearchUsersRequest { Parent = abc.Name, Searcher = vendor, Query = "f" });
        Assert.Equal(1, found.Hidden);
        Assert.DoesNotContain(found.Users, u => u.Id == controller);

        // Invitation: the controller may not invite the vendor; the technician may.
        var invite = await RpcAssert.Fails(StatusCode.PermissionDenied, () => _world.Sessions.CreateSessionAsync(Schedule(abc, controller, Member(vendor))));
        Assert.Equal("INFORMATION_BARRIER", invite.Reason());
        Assert.Contains("finance-blocks-vendors", invite.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(["session.invitations[0].person"], invite.ViolatedFields());

        var request = Schedule(abc, abc.Technician, Member(vendor), Member(controller));
        request.Session.Lobby = new LobbySettings { Scope = LobbyScope.Organizer };
        var session = (await _world.Sessions.CreateSessionAsync(request)).Session;

        // Admission: with the controller in the meeting, the vendor waiting in the lobby cannot be admitted.
        var vendorWaits = await Join(session.Name, vendor);
        var controllerWaits = await Join(session.Name, controller);
        Assert.Equal(Participant.Types.State.InLobby, vendorWaits.Participant.State);
        await _world.Sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = session.Name, ParticipantId = controllerWaits.Participant.Id });

        // Before the click, the session already tells the lobby console so, in the words the click answers.
        var grain = fixture.Server.Services.GetRequiredService<IGrainFactory>().GetGrain<ISessionGrain>(session.Name);
        var preview = (await grain.PreviewAdmissionsAsync(_world.Partner, null)).Single(c => c.ParticipantId == vendorWaits.Participant.Id);
        var admit = await RpcAssert.Fails(StatusCode.PermissionDenied, () => _world.Sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = session.Name, ParticipantId = vendorWaits.Participant.Id }));
        Assert.Equal("INFORMATION_BARRIER", admit.Reason());
        Assert.Contains("finance-blocks-vendors", admit.Status.Detail, StringComparison.Ordinal);
        Assert.Equal((admit.Reason(), admit.Status.Detail), (preview.Refusal?.Reason, preview.Refusal?.Message));

        // Once the controller has left, the vendor may join the technician.
        await _world.Sessions.LeaveSessionAsync(new LeaveSessionRequest { Name = session.Name, ParticipantId = controllerWaits.Participant.Id });
        Assert.True((await grain.PreviewAdmissionsAsync(_world.Partner, null)).Single().Admissible);
        var admitted = await _world.Sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = session.Name, ParticipantId = vendorWaits.Participant.Id });
        Assert.Equal(Participant.Types.State.Admitted, admitted.Participant.State);
    }

    private Task<JoinSessionResponse> Join(string session, string userId) =>
        _world.Sessions.JoinSessionAsync(new JoinSessionRequest { Name = session, Person = Member(userId), Client = ClientKind.TeamsDesktop }).ResponseAsync;

    private async Task DefineAndApplyAsync(OnboardedTenant tenant)
    {
        var barriers = new BarrierService.BarrierServiceClient(fixture.Server.Invoker(fixture.Tokens.Writer(_world.Partner)));
        foreach (var (id, filter) in new[] { ("Vendors-OEM", "Company -eq 'OEM Ltd'"), ("Field-Technicians", "Department -eq 'Field-Technicians'"), ("Finance", "Department -eq 'Finance'") })
        {
            await barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = tenant.Name, SegmentId = id, Segment = new Segment { UserGroupFilter = filter } });
        }

        await barriers.CreateBarrierPolicyAsync(new CreateBarrierPolicyRequest
        {
            Parent = tenant.Name,
            BarrierPolicyId = "vendors-reach-technicians",
            BarrierPolicy = new Proto { AssignedSegment = "Vendors-OEM", Kind = Proto.Types.Kind.Allow, Segments = { "Vendors-OEM", "Field-Technicians" }, State = Proto.Types.State.Active },
        });
        await barriers.CreateBarrierPolicyAsync(new CreateBarrierPolicyRequest
        {
            Parent = tenant.Name,
            BarrierPolicyId = "finance-blocks-vendors",
            BarrierPolicy = new Proto { AssignedSegment = "Finance", Kind = Proto.Types.Kind.Block, Segments = { "Vendors-OEM" }, State = Proto.Types.State.Active },
        });
        var started = await barriers.ApplyBarrierPoliciesAsync(new ApplyBarrierPoliciesRequest { Parent = tenant.Name, RequestId = TestIds.NewRequestId() });
        var done = (await fixture.Server.Operations(fixture.Tokens.Reader(_world.Partner)).WatchToEndAsync(started.Operation.Name))[^1];
        Assert.Equal(Operation.Types.State.Succeeded, done.State);
    }
}
