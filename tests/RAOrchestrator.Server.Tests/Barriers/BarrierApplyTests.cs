using System.Text.Json.Nodes;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.GraphEmulator.Graph;
using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.Server.Tests.Infrastructure;
using Activity = RAOrchestrator.Contracts.V1.CheckBarrierRequest.Types.Activity;
using Proto = RAOrchestrator.Contracts.V1.BarrierPolicy;

namespace RAOrchestrator.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class BarrierApplyTests(ServerFixture fixture)
{
    private readonly string _partner = TestIds.NewPartner();
    private BarrierService.BarrierServiceClient Barriers => new(fixture.Server.Invoker(fixture.Tokens.Writer(_partner)));
    private OperationService.OperationServiceClient Operations => fixture.Server.Operations(fixture.Tokens.Reader(_partner));

    [Fact]
    public async Task The_vendor_example_is_enforced_by_checks_after_apply_in_both_directions()
    {
        var (tenant, tenantId) = await TenantAsync();
        var vendor = AddUser(tenantId, "vendor", ("companyName", "OEM Ltd"));
        var technician = AddUser(tenantId, "tech", ("department", "Field Service"));
        var controller = AddUser(tenantId, "finance", ("department", "Finance"));
        await DefineVendorExampleAsync(tenant);

        var before = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => Check(tenant, vendor, technician, Activity.InviteToMeeting));
        Assert.Equal("BARRIERS_NOT_APPLIED", before.Reason());

        var applied = await ApplyAsync(tenant);
        Assert.Equal(Operation.Types.State.Succeeded, applied.State);

        var allowed = await Check(tenant, vendor, technician, Activity.InviteToMeeting);
        Assert.True(allowed.Allowed, allowed.Message);
        var denied = await Check(tenant, vendor, controller, Activity.InviteToMeeting);
        Assert.False(denied.Allowed);
        Assert.NotEmpty(denied.DecidingPolicy);
        var reverse = await Check(tenant, controller, vendor, Activity.Call);
        Assert.False(reverse.Allowed);
        Assert.Equal(allowed.Version, reverse.Version);
    }

    [Fact]
    public async Task Directory_search_by_a_vendor_account_leaves_out_the_people_barriers_hide()
    {
        var (tenant, tenantId) = await TenantAsync();
        var vendor = AddUser(tenantId, "vendor", ("companyName", "OEM Ltd"));
        var technician = AddUser(tenantId, "sam-tech", ("department", "Field Service"));
        var controller = AddUser(tenantId, "sam-finance", ("department", "Finance"));
        await DefineVendorExampleAsync(tenant);
        var directory = new DirectoryService.DirectoryServiceClient(fixture.Server.Invoker(fixture.Tokens.Reader(_partner)));

        var unrestricted = await directory.SearchUsersAsync(new SearchUsersRequest { Parent = tenant, Searcher = vendor, Query = "sam" });
        Assert.Equal(2, unrestricted.Users.Count);

        await ApplyAsync(tenant);
        var found = await directory.SearchUsersAsync(new SearchUsersRequest { Parent = tenant, Searcher = vendor, Query = "sam" });

        Assert.Equal([technician], found.Users.Select(u => u.Id));
        Assert.Equal(1, found.Hidden);
        Assert.DoesNotContain(found.Users, u => u.Id == controller);
    }

    [Fact]
    public async Task Changing_a_service_accounts_attributes_moves_it_between_segments_at_the_next_apply()
    {
        var (tenant, tenantId) = await TenantAsync();
        var technician = AddUser(tenantId, "tech", ("department", "Field Service"));
        var controller = AddUser(tenantId, "finance", ("department", "Finance"));
        await DefineVendorExampleAsync(tenant);
        var accounts = new ServiceAccountService.ServiceAccountServiceClient(fixture.Server.Invoker(fixture.Tokens.Writer(_partner)));
        var vendor = (await accounts.CreateServiceAccountAsync(new CreateServiceAccountRequest
        {
            Parent = tenant,
            ServiceAccountId = "oem-expert",
            ServiceAccount = new ServiceAccount
            {
                DisplayName = "OEM expert",
                UserPrincipalName = $"oem-expert@t{tenantId[..8]}.example",
                UsageLocation = "DE",
                Attributes = { ["companyName"] = "OEM Ltd" },
            },
        })).ServiceAccount;
        await ApplyAsync(tenant);
        Assert.False((await Check(tenant, vendor.DirectoryUserId, controller, Activity.Call)).Allowed);

        // The vendor becomes staff of the finance department: out of Vendors-OEM, into Finance.
        await accounts.UpdateServiceAccountAsync(new UpdateServiceAccountRequest
        {
            ServiceAccount = new ServiceAccount { Name = vendor.Name, Etag = vendor.Etag, Attributes = { ["department"] = "Finance" } },
            UpdateMask = new() { Paths = { "attributes" } },
        });
        Assert.False((await Check(tenant, vendor.DirectoryUserId, controller, Activity.Call)).Allowed);
        await ApplyAsync(tenant);

        Assert.True((await Check(tenant, vendor.DirectoryUserId, controller, Activity.Call)).Allowed);
        Assert.True((await Check(tenant, vendor.DirectoryUserId, technician, Activity.Call)).Allowed);
    }

    [Fact]
    public async Task Twenty_thousand_users_apply_over_paging_and_checks_answer_from_the_old_version_until_the_new_one_is_published()
    {
        var (tenant, tenantId) = await TenantAsync();
        var vendor = AddUser(tenantId, "vendor", ("companyName", "OEM Ltd"));
        var technician = AddUser(tenantId, "tech", ("department", "Field Service"));
        AddManyUsers(tenantId, 20_000);
        await DefineVendorExampleAsync(tenant);
        var first = await ApplyAsync(tenant);
        Assert.Equal(Operation.Types.State.Succeeded, first.State);
        var v1 = await Check(tenant, vendor, technician, Activity.Chat);
        Assert.True(v1.Allowed);

        // Block technicians from vendors too, and apply again slowly: checks keep answering from version 1 meanwhile.
        await Barriers.CreateBarrierPolicyAsync(new CreateBarrierPolicyRequest
        {
            Parent = tenant,
            BarrierPolicyId = "technicians-block-vendors",
            BarrierPolicy = new Proto { AssignedSegment = "Field-Technicians", Kind = Proto.Types.Kind.Block, Segments = { "Vendors-OEM" }, State = Proto.Types.State.Active },
        });
        fixture.Emulator.State.Faults.Settings = new FaultSettings { LatencyMs = 150 };
        try
        {
            var second = await Barriers.ApplyBarrierPoliciesAsync(new ApplyBarrierPoliciesRequest { Parent = tenant, RequestId = TestIds.NewRequestId() });
            var during = await Check(tenant, vendor, technician, Activity.Chat);
            Assert.Equal(v1.Version, during.Version);
            Assert.True(during.Allowed);
            var done = (await Operations.WatchToEndAsync(second.Operation.Name))[^1];
            Assert.Equal(Operation.Types.State.Succeeded, done.State);
        }
        finally
        {
            fixture.Emulator.State.Faults.Settings = new FaultSettings();
        }

        var after = await Check(tenant, vendor, technician, Activity.Chat);
        Assert.True(after.Version > v1.Version);
        Assert.False(after.Allowed);
        Assert.Equal("technicians-block-vendors", after.DecidingPolicy);
    }

    [Fact]
    public async Task A_segment_on_group_membership_takes_the_groups_members_and_an_unknown_group_fails_the_apply()
    {
        var (tenant, tenantId) = await TenantAsync();
        var vendor = AddUser(tenantId, "vendor", ("companyName", "OEM Ltd"));
        var auditor = AddUser(tenantId, "auditor", ("department", "Audit"));
        var outsider = AddUser(tenantId, "outsider", ("department", "Audit"));
        var group = new GroupState { Id = Guid.NewGuid().ToString(), Properties = new JsonObject { ["displayName"] = "Finance Team", ["mailNickname"] = "finance-team" } };
        group.Properties["id"] = group.Id;
        group.MemberIds.Add(auditor);
        lock (fixture.Emulator.State.Sync)
        {
            fixture.Emulator.State.Tenants[tenantId].Groups.Add(group);
        }

        await Segment(tenant, "Vendors-OEM", "Company -eq 'OEM Ltd'");
        await Segment(tenant, "Finance", "MemberOf -eq 'finance-team'");
        await Barriers.CreateBarrierPolicyAsync(new CreateBarrierPolicyRequest
        {
            Parent = tenant,
            BarrierPolicyId = "finance-blocks-vendors",
            BarrierPolicy = new Proto { AssignedSegment = "Finance", Kind = Proto.Types.Kind.Block, Segments = { "Vendors-OEM" }, State = Proto.Types.State.Active },
        });

        Assert.Equal(Operation.Types.State.Succeeded, (await ApplyAsync(tenant)).State);
        Assert.False((await Check(tenant, auditor, vendor, Activity.Call)).Allowed);
        Assert.True((await Check(tenant, outsider, vendor, Activity.Call)).Allowed);

        await Barriers.UpdateSegmentAsync(new UpdateSegmentRequest
        {
            Segment = new Segment { Name = $"{tenant}/segments/Finance", UserGroupFilter = "MemberOf -eq 'No Such Group'" },
        });
        var failed = await ApplyAsync(tenant);
        Assert.Equal(Operation.Types.State.Failed, failed.State);
        Assert.Equal("MEMBER_OF_GROUP_NOT_FOUND", failed.Error.Reason);
    }

    private async Task<Segment> Segment(string tenant, string id, string filter) =>
        (await Barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = tenant, SegmentId = id, Segment = new Segment { UserGroupFilter = filter } })).Segment;

    private async Task DefineVendorExampleAsync(string tenant)
    {
        foreach (var (id, filter) in new[] { ("Vendors-OEM", "Company -eq 'OEM Ltd'"), ("Field-Technicians", "Department -eq 'Field Service'"), ("Finance", "Department -eq 'Finance'") })
        {
            await Barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = tenant, SegmentId = id, Segment = new Segment { UserGroupFilter = filter } });
        }

        await Barriers.CreateBarrierPolicyAsync(new CreateBarrierPolicyRequest
        {
            Parent = tenant,
            BarrierPolicyId = "vendors-reach-technicians",
            BarrierPolicy = new Proto { AssignedSegment = "Vendors-OEM", Kind = Proto.Types.Kind.Allow, Segments = { "Vendors-OEM", "Field-Technicians" }, State = Proto.Types.State.Active },
        });
        await Barriers.CreateBarrierPolicyAsync(new CreateBarrierPolicyRequest
        {
            Parent = tenant,
            BarrierPolicyId = "finance-blocks-vendors",
            BarrierPolicy = new Proto { AssignedSegment = "Finance", Kind = Proto.Types.Kind.Block, Segments = { "Vendors-OEM" }, State = Proto.Types.State.Active },
        });
    }

    private async Task<Operation> ApplyAsync(string tenant)
    {
        var started = await Barriers.ApplyBarrierPoliciesAsync(new ApplyBarrierPoliciesRequest { Parent = tenant, RequestId = TestIds.NewRequestId() });
        return (await Operations.WatchToEndAsync(started.Operation.Name))[^1];
    }

    private AsyncUnaryCall<CheckBarrierResponse> Check(string tenant, string a, string b, Activity activity) =>
        Barriers.CheckBarrierAsync(new CheckBarrierRequest { Parent = tenant, UserA = a, UserB = b, Activity = activity });

    private async Task<(string Name, string Id)> TenantAsync()
    {
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var created = await fixture.Server.Tenants(fixture.Tokens.Writer(_partner)).CreateTenantAsync(ReadyTenants.Create(tenantId));
        await Operations.WatchToEndAsync(created.Operation.Name);
        return (created.Tenant.Name, tenantId);
    }

    private string AddUser(string tenantId, string nickname, params (string Name, string Value)[] attributes)
    {
        var id = Guid.NewGuid().ToString();
        var user = new JsonObject
        {
            ["id"] = id,
            ["displayName"] = nickname,
            ["userPrincipalName"] = $"{nickname}@{tenantId[..8]}.example",
            ["mailNickname"] = nickname,
        };
        foreach (var (name, value) in attributes)
        {
            user[name] = value;
        }

        UserModel.Normalize(user);
        var tenant = fixture.Emulator.State.Tenants[tenantId];
        lock (fixture.Emulator.State.Sync)
        {
            tenant.Users.Add(user);
        }

        return id;
    }

    private void AddManyUsers(string tenantId, int count)
    {
        var departments = new[] { "Field Service", "Finance", "Engineering", "Sales", "Support" };
        var tenant = fixture.Emulator.State.Tenants[tenantId];
        lock (fixture.Emulator.State.Sync)
        {
            for (var i = 0; i < count; i++)
            {
                var user = new JsonObject
                {
                    ["displayName"] = $"User {i}",
                    ["userPrincipalName"] = $"user{i}@{tenantId[..8]}.example",
                    ["mailNickname"] = $"user{i}",
                    ["department"] = departments[i % departments.Length],
                    ["companyName"] = i % 97 == 0 ? "OEM Ltd" : "Contoso",
                };
                UserModel.Normalize(user);
                tenant.Users.Add(user);
            }
        }
    }
}
