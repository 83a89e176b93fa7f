using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using Proto = RAOrchestrator.Contracts.V1.BarrierPolicy;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// The edge of the API that bad input reaches first: times outside what a Timestamp can hold, ids made of dots, and
/// segment names where the proto says "a segment name". Each gets INVALID_ARGUMENT naming the field, never INTERNAL.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RequestEdgeTests(ServerFixture fixture)
{
    private readonly string _partner = TestIds.NewPartner();

    private CallInvoker Writer => fixture.Server.Invoker(fixture.Tokens.Writer(_partner));

    private BarrierService.BarrierServiceClient Barriers => new(Writer);

    public static TheoryData<string, long, int> OutOfRangeTimes => new()
    {
        { "session.start_time", 253_402_300_800, 0 },      // 10000-01-01T00:00:00Z
        { "session.start_time", -62_135_596_801, 0 },      // before 0001-01-01
        { "session.start_time", 1_900_000_000, -1 },
        { "session.start_time", 1_900_000_000, 1_000_000_000 },
        { "session.end_time", long.MaxValue, 0 },
        { "session.end_time", 1_900_000_000, int.MinValue },
    };

    [Theory]
    [MemberData(nameof(OutOfRangeTimes))]
    public async Task A_session_time_a_timestamp_cannot_hold_is_invalid_and_names_the_field(string field, long seconds, int nanos)
    {
        var tenant = await TenantAsync();
        var request = SessionWorld.Schedule(new OnboardedTenant(tenant, tenant["tenants/".Length..], "t.example"), Guid.NewGuid().ToString());
        var time = new Timestamp { Seconds = seconds, Nanos = nanos };
        if (field == "session.start_time")
        {
            request.Session.StartTime = time;
        }
        else
        {
            request.Session.EndTime = time;
        }

        var ex = await RpcAssert.Fails(StatusCode.InvalidArgument, () => new SessionService.SessionServiceClient(Writer).CreateSessionAsync(request));

        Assert.Contains(field, ex.ViolatedFields());
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(60, -1)]
    [InlineData(long.MaxValue, 0)]
    [InlineData(60, 1_000_000_000)]
    public async Task A_lobby_wait_a_duration_cannot_hold_is_invalid_and_names_the_field(long seconds, int nanos)
    {
        var tenant = await TenantAsync();
        var request = SessionWorld.Schedule(new OnboardedTenant(tenant, tenant["tenants/".Length..], "t.example"), Guid.NewGuid().ToString());
        request.Session.Lobby = new LobbySettings { Scope = LobbyScope.Organization, MaxWait = new Duration { Seconds = seconds, Nanos = nanos } };

        var ex = await RpcAssert.Fails(StatusCode.InvalidArgument, () => new SessionService.SessionServiceClient(Writer).CreateSessionAsync(request));

        Assert.Contains("session.lobby.max_wait", ex.ViolatedFields());
    }

    public static TheoryData<string> DotIds => new() { ".", "..", ".hidden", "..." };

    [Theory]
    [MemberData(nameof(DotIds))]
    public async Task An_id_that_is_only_dots_or_starts_with_a_dot_is_refused_wherever_ids_are_taken(string id)
    {
        var tenant = await TenantAsync();
        await Barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = tenant, SegmentId = "A", Segment = new Segment { UserGroupFilter = "Department -eq 'A'" } });

        var segment = await RpcAssert.Fails(StatusCode.InvalidArgument, () => Barriers.CreateSegmentAsync(new CreateSegmentRequest
        {
            Parent = tenant,
            SegmentId = id,
            Segment = new Segment { UserGroupFilter = "Department -eq 'x'" },
        }));
        Assert.Contains("segment_id", segment.ViolatedFields());

        var policy = await RpcAssert.Fails(StatusCode.InvalidArgument, () => Barriers.CreateBarrierPolicyAsync(NewPolicy(tenant, id, "A", "A")));
        Assert.Contains("barrier_policy_id", policy.ViolatedFields());

        var listed = await RpcAssert.Fails(StatusCode.InvalidArgument, () => Barriers.CreateBarrierPolicyAsync(NewPolicy(tenant, "p", "A", "A", id)));
        Assert.Contains("barrier_policy.segments[1]", listed.ViolatedFields());

        var get = await RpcAssert.Fails(StatusCode.InvalidArgument, () => Barriers.GetSegmentAsync(new GetSegmentRequest { Name = $"{tenant}/segments/{id}" }));
        Assert.Contains("name", get.ViolatedFields());

        var check = await RpcAssert.Fails(StatusCode.InvalidArgument, () => Barriers.CheckBarrierAsync(new CheckBarrierRequest
        {
            Parent = tenant,
            UserA = id,
            UserB = Guid.NewGuid().ToString(),
            Activity = CheckBarrierRequest.Types.Activity.InviteToMeeting,
        }));
        Assert.Contains("user_a", check.ViolatedFields());

        var search = await RpcAssert.Fails(StatusCode.InvalidArgument, () => new DirectoryService.DirectoryServiceClient(Writer).SearchUsersAsync(new SearchUsersRequest
        {
            Parent = tenant,
            Searcher = id,
            Query = "a",
        }));
        Assert.Contains("searcher", search.ViolatedFields());

        var listedSegments = await Barriers.ListSegmentsAsync(new ListSegmentsRequest { Parent = tenant });
        Assert.Equal([$"{tenant}/segments/A"], listedSegments.Segments.Select(s => s.Name));
    }

    [Fact]
    public async Task A_policy_takes_its_segments_by_resource_name_as_the_proto_says_or_by_id()
    {
        var tenant = await TenantAsync();
        await Barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = tenant, SegmentId = "Vendors", Segment = new Segment { UserGroupFilter = "Department -eq 'V'" } });
        await Barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = tenant, SegmentId = "Technicians", Segment = new Segment { UserGroupFilter = "Department -eq 'T'" } });

        var byName = await Barriers.CreateBarrierPolicyAsync(NewPolicy(tenant, "vendors-allow", $"{tenant}/segments/Vendors", $"{tenant}/segments/Vendors", "Technicians"));

        // Answers carry the ids, as they always did: a client comparing them with its own file sees no change.
        Assert.Equal("Vendors", byName.BarrierPolicy.AssignedSegment);
        Assert.Equal(["Vendors", "Technicians"], byName.BarrierPolicy.Segments);

        var updated = byName.BarrierPolicy.Clone();
        updated.Segments.Clear();
        updated.Segments.Add($"{tenant}/segments/Vendors");
        var update = await Barriers.UpdateBarrierPolicyAsync(new UpdateBarrierPolicyRequest { BarrierPolicy = updated });
        Assert.Equal(["Vendors"], update.BarrierPolicy.Segments);

        var read = await Barriers.GetBarrierPolicyAsync(new GetBarrierPolicyRequest { Name = byName.BarrierPolicy.Name });
        Assert.Equal(update.BarrierPolicy, read.BarrierPolicy);
    }

    [Fact]
    public async Task A_policy_naming_a_segment_of_another_tenant_is_invalid()
    {
        var tenant = await TenantAsync();
        var other = await TenantAsync();
        await Barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = tenant, SegmentId = "A", Segment = new Segment { UserGroupFilter = "Department -eq 'A'" } });
        await Barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = other, SegmentId = "B", Segment = new Segment { UserGroupFilter = "Department -eq 'B'" } });

        var assigned = await RpcAssert.Fails(StatusCode.InvalidArgument, () => Barriers.CreateBarrierPolicyAsync(NewPolicy(tenant, "p", $"{other}/segments/B", "A")));
        Assert.Contains("barrier_policy.assigned_segment", assigned.ViolatedFields());

        var listed = await RpcAssert.Fails(StatusCode.InvalidArgument, () => Barriers.CreateBarrierPolicyAsync(NewPolicy(tenant, "p", "A", "A", $"{other}/segments/B")));
        Assert.Contains("barrier_policy.segments[1]", listed.ViolatedFields());

        var elsewhere = await RpcAssert.Fails(StatusCode.InvalidArgument, () => Barriers.CreateBarrierPolicyAsync(NewPolicy(tenant, "p", $"{tenant}/barrierPolicies/A", "A")));
        Assert.Contains("barrier_policy.assigned_segment", elsewhere.ViolatedFields());
    }

    private static CreateBarrierPolicyRequest NewPolicy(string tenant, string id, string assigned, params string[] segments)
    {
        var policy = new Proto { AssignedSegment = assigned, Kind = Proto.Types.Kind.Allow, State = Proto.Types.State.Inactive };
        policy.Segments.AddRange(segments);
        return new CreateBarrierPolicyRequest { Parent = tenant, BarrierPolicyId = id, BarrierPolicy = policy };
    }

    private async Task<string> TenantAsync()
    {
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var created = await new TenantService.TenantServiceClient(Writer).CreateTenantAsync(ReadyTenants.Create(tenantId));
        await fixture.Server.Operations(fixture.Tokens.Reader(_partner)).WatchToEndAsync(created.Operation.Name);
        return created.Tenant.Name;
    }
}
