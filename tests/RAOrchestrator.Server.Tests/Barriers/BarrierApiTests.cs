using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Domain.Barriers;
using RAOrchestrator.Server.Tests.Infrastructure;
using Proto = RAOrchestrator.Contracts.V1.BarrierPolicy;

namespace RAOrchestrator.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class BarrierApiTests(ServerFixture fixture)
{
    private readonly string _partner = TestIds.NewPartner();
    private BarrierService.BarrierServiceClient Barriers => new(fixture.Server.Invoker(fixture.Tokens.Writer(_partner)));

    [Fact]
    public async Task The_vendor_example_is_defined_with_a_warning_for_the_one_way_block_and_exports_a_script_that_parses_back()
    {
        var tenant = await TenantAsync();
        await Segment(tenant, "Vendors-OEM", "Company -eq 'OEM Ltd'");
        await Segment(tenant, "Field-Technicians", "Department -eq 'Field Service'");
        await Segment(tenant, "Finance", "Department -eq 'Finance' -or Department -eq 'Controlling'");

        var allow = await Barriers.CreateBarrierPolicyAsync(new CreateBarrierPolicyRequest
        {
            Parent = tenant,
            BarrierPolicyId = "vendors-reach-technicians",
            BarrierPolicy = new Proto { AssignedSegment = "Vendors-OEM", Kind = Proto.Types.Kind.Allow, Segments = { "Vendors-OEM", "Field-Technicians" }, State = Proto.Types.State.Active },
        });
        Assert.Equal($"{tenant}/barrierPolicies/vendors-reach-technicians", allow.BarrierPolicy.Name);

        var block = await Barriers.CreateBarrierPolicyAsync(new CreateBarrierPolicyRequest
        {
            Parent = tenant,
            BarrierPolicyId = "finance-blocks-vendors",
            BarrierPolicy = new Proto { AssignedSegment = "Finance", Kind = Proto.Types.Kind.Block, Segments = { "Vendors-OEM" }, State = Proto.Types.State.Active },
        });
        Assert.Contains(block.Warnings, w => w.Reason == "POLICY_BLOCK_NOT_RECIPROCATED");

        var listed = await Barriers.ListSegmentsAsync(new ListSegmentsRequest { Parent = tenant, PageSize = 2 });
        var rest = await Barriers.ListSegmentsAsync(new ListSegmentsRequest { Parent = tenant, PageToken = listed.NextPageToken });
        Assert.Equal(["Field-Technicians", "Finance", "Vendors-OEM"], listed.Segments.Concat(rest.Segments).Select(s => s.Name.Split('/')[^1]));

        var script = (await Barriers.ExportBarrierPoliciesAsync(new ExportBarrierPoliciesRequest { Parent = tenant })).Script;
        Assert.Contains("New-OrganizationSegment -Name 'Vendors-OEM'", script, StringComparison.Ordinal);
        Assert.Contains("Start-InformationBarrierPoliciesApplication", script, StringComparison.Ordinal);
        var parsed = BarrierPowerShell.Parse(script).GetValueOrThrow();
        Assert.Equal(["Vendors-OEM", "Field-Technicians", "Finance"], parsed.Segments.Select(s => s.Name));
        Assert.Equal(2, parsed.Policies.Count(p => p.State == PolicyState.Active));
    }

    [Fact]
    public async Task Each_broken_rule_is_refused_with_its_own_reason()
    {
        var tenant = await TenantAsync();
        await Segment(tenant, "A", "Department -eq 'A'");
        await Segment(tenant, "B", "Department -eq 'B'");

        var ownMissing = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => Barriers.CreateBarrierPolicyAsync(NewPolicy(tenant, "p-a", "A", Proto.Types.Kind.Allow, "B")));
        Assert.Equal("POLICY_ALLOW_LIST_MISSING_OWN_SEGMENT", ownMissing.Reason());

        var unknown = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => Barriers.CreateBarrierPolicyAsync(NewPolicy(tenant, "p-x", "A", Proto.Types.Kind.Block, "Nowhere")));
        Assert.Equal("POLICY_UNKNOWN_SEGMENT", unknown.Reason());

        await Barriers.CreateBarrierPolicyAsync(NewPolicy(tenant, "p-a", "A", Proto.Types.Kind.Block, "B"));
        var second = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => Barriers.CreateBarrierPolicyAsync(NewPolicy(tenant, "p-a2", "A", Proto.Types.Kind.Block, "B")));
        Assert.Equal("POLICY_SEGMENT_ALREADY_ASSIGNED", second.Reason());

        var kindChange = NewPolicy(tenant, "p-a", "A", Proto.Types.Kind.Allow, "A", "B").BarrierPolicy;
        kindChange.Name = $"{tenant}/barrierPolicies/p-a";
        var immutable = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => Barriers.UpdateBarrierPolicyAsync(new UpdateBarrierPolicyRequest { BarrierPolicy = kindChange }));
        Assert.Equal("POLICY_KIND_IMMUTABLE", immutable.Reason());

        var inUse = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => Barriers.DeleteSegmentAsync(new DeleteSegmentRequest { Name = $"{tenant}/segments/B" }));
        Assert.Equal("SEGMENT_IN_USE_BY_POLICY", inUse.Reason());

        var duplicate = await RpcAssert.Fails(StatusCode.AlreadyExists, () => Barriers.CreateSegmentAsync(new CreateSegmentRequest
        {
            Parent = tenant,
            SegmentId = "A",
            Segment = new Segment { UserGroupFilter = "Department -eq 'Other'" },
        }));
        Assert.Equal("SEGMENT_NAME_DUPLICATE", duplicate.Reason());
    }

    [Fact]
    public async Task A_malformed_filter_is_invalid_and_points_at_the_column()
    {
        var tenant = await TenantAsync();
        var ex = await RpcAssert.Fails(StatusCode.InvalidArgument, () => Barriers.CreateSegmentAsync(new CreateSegmentRequest
        {
            Parent = tenant,
            SegmentId = "Broken",
            Segment = new Segment { UserGroupFilter = "Department -eq 'A' -and (Company -eq" },
        }));
        Assert.Equal(["segment.user_group_filter"], ex.ViolatedFields());
        Assert.Contains("column", ex.Status.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_stale_etag_is_aborted_and_another_partner_sees_nothing()
    {
        var tenant = await TenantAsync();
        var created = await Segment(tenant, "A", "Department -eq 'A'");
        await Segment(tenant, "B", "Department -eq 'B'");

        var stale = await RpcAssert.Fails(StatusCode.Aborted, () => Barriers.UpdateSegmentAsync(new UpdateSegmentRequest
        {
            Segment = new Segment { Name = created.Name, UserGroupFilter = "Department -eq 'Z'", Etag = created.Etag },
        }));
        Assert.Equal("ETAG_MISMATCH", stale.Reason());

        var other = new BarrierService.BarrierServiceClient(fixture.Server.Invoker(fixture.Tokens.Writer(TestIds.NewPartner())));
        await RpcAssert.Fails(StatusCode.NotFound, () => other.GetSegmentAsync(new GetSegmentRequest { Name = created.Name }));
        await RpcAssert.Fails(StatusCode.NotFound, () => other.ExportBarrierPoliciesAsync(new ExportBarrierPoliciesRequest { Parent = tenant }));
    }

    private async Task<string> TenantAsync()
    {
        var created = await fixture.Server.Tenants(fixture.Tokens.Writer(_partner)).CreateTenantAsync(ReadyTenants.Create(await ReadyTenants.AddAsync(fixture.Emulator, consent: false)));
        return created.Tenant.Name;
    }

    private async Task<Segment> Segment(string tenant, string id, string filter) =>
        (await Barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = tenant, SegmentId = id, Segment = new Segment { UserGroupFilter = filter } })).Segment;

    private static CreateBarrierPolicyRequest NewPolicy(string tenant, string id, string assigned, Proto.Types.Kind kind, params string[] segments)
    {
        var policy = new Proto { AssignedSegment = assigned, Kind = kind, State = Proto.Types.State.Active };
        policy.Segments.AddRange(segments);
        return new CreateBarrierPolicyRequest { Parent = tenant, BarrierPolicyId = id, BarrierPolicy = policy };
    }
}
