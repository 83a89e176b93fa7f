using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>The barrier mutations honour their request_id: a repeat answers the first result; an empty id is no key.</summary>
[Collection(ServerCollection.Name)]
public sealed class BarrierRequestIdTests(ServerFixture fixture)
{
    private readonly string _partner = TestIds.NewPartner();

    private BarrierService.BarrierServiceClient Barriers => new(fixture.Server.Invoker(fixture.Tokens.Writer(_partner)));

    [Fact]
    public async Task Repeated_segment_changes_answer_their_first_result_even_after_the_segment_moved_on_or_is_gone()
    {
        var tenant = (await fixture.Server.Tenants(fixture.Tokens.Writer(_partner)).CreateTenantAsync(ReadyTenants.Create(await ReadyTenants.AddAsync(fixture.Emulator, consent: false)))).Tenant.Name;
        var create = new CreateSegmentRequest { RequestId = TestIds.NewRequestId(), Parent = tenant, SegmentId = "vendors", Segment = new Segment { UserGroupFilter = "Company -eq 'OEM Ltd'" } };
        var created = await Barriers.CreateSegmentAsync(create);
        var update = new UpdateSegmentRequest { RequestId = TestIds.NewRequestId(), Segment = new Segment { Name = created.Segment.Name, UserGroupFilter = "Company -eq 'OEM GmbH'" } };
        var updated = await Barriers.UpdateSegmentAsync(update);
        await Barriers.UpdateSegmentAsync(new UpdateSegmentRequest { Segment = new Segment { Name = created.Segment.Name, UserGroupFilter = "Company -eq 'OEM AG'" } });

        Assert.Equal(created, await Barriers.CreateSegmentAsync(create));
        Assert.Equal(updated, await Barriers.UpdateSegmentAsync(update));

        var delete = new DeleteSegmentRequest { RequestId = TestIds.NewRequestId(), Name = created.Segment.Name };
        await Barriers.DeleteSegmentAsync(delete);
        await Barriers.DeleteSegmentAsync(delete);
        await RpcAssert.Fails(StatusCode.NotFound, () => Barriers.DeleteSegmentAsync(new DeleteSegmentRequest { Name = created.Segment.Name }));

        // Without an id, two creates are two requests: the second finds the first's segment.
        await Barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = tenant, SegmentId = "again", Segment = new Segment { UserGroupFilter = "Department -eq 'A'" } });
        await RpcAssert.Fails(StatusCode.AlreadyExists, () => Barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = tenant, SegmentId = "again", Segment = new Segment { UserGroupFilter = "Department -eq 'A'" } }));
    }
}
