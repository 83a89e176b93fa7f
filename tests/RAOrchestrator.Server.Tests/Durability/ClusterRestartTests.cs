using Google.Protobuf;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using static RAOrchestrator.Server.Tests.Infrastructure.SessionWorld;
using Proto = RAOrchestrator.Contracts.V1.BarrierPolicy;

namespace RAOrchestrator.Server.Tests;

/// <summary>The whole cluster stops and starts again: everything reads back exactly as before.</summary>
[Collection(ServerCollection.Name)]
public sealed class ClusterRestartTests(ServerFixture fixture)
{
    [Fact]
    public async Task After_a_whole_cluster_restart_every_tenant_account_policy_version_and_session_reads_back_byte_for_byte()
    {
        await using var world = await ClusterWorld.StartAsync(fixture);
        var names = await WithChannel(world, 0, channel => world.OnboardAsync(channel, 3));
        var tenant = new OnboardedTenant(names[0], names[0]["tenants/".Length..], $"t{names[0]["tenants/".Length..][..8]}.example");
        var sessionWorld = new SessionWorld(fixture, world.Partner);
        var technician = await sessionWorld.AddUserAsync(tenant, "tech", "Hanna Technician", licensed: true, department: "Field-Technicians");
        var vendor = await sessionWorld.AddUserAsync(tenant, "vendor", "Otto OEM", licensed: true, company: "OEM Ltd");

        var session = await WithChannel(world, 1, async channel =>
        {
            var invoker = world.Writer(channel);
            await new ServiceAccountService.ServiceAccountServiceClient(invoker).CreateServiceAccountAsync(new CreateServiceAccountRequest
            {
                RequestId = TestIds.NewRequestId(),
                Parent = tenant.Name,
                ServiceAccountId = "oem-expert",
                ServiceAccount = new ServiceAccount { DisplayName = "OEM expert", UserPrincipalName = $"oem-expert@{tenant.Domain}", UsageLocation = "DE", Attributes = { ["companyName"] = "OEM Ltd" } },
            });
            var barriers = new BarrierService.BarrierServiceClient(invoker);
            await barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = tenant.Name, SegmentId = "Vendors-OEM", Segment = new Segment { UserGroupFilter = "Company -eq 'OEM Ltd'" } });
            await barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = tenant.Name, SegmentId = "Field-Technicians", Segment = new Segment { UserGroupFilter = "Department -eq 'Field-Technicians'" } });
            await barriers.CreateBarrierPolicyAsync(new CreateBarrierPolicyRequest
            {
                Parent = tenant.Name,
                BarrierPolicyId = "vendors-reach-technicians",
                BarrierPolicy = new Proto { AssignedSegment = "Vendors-OEM", Kind = Proto.Types.Kind.Allow, Segments = { "Vendors-OEM", "Field-Technicians" }, State = Proto.Types.State.Active },
            });
            var applied = await barriers.ApplyBarrierPoliciesAsync(new ApplyBarrierPoliciesRequest { Parent = tenant.Name, RequestId = TestIds.NewRequestId() });
            await new OperationService.OperationServiceClient(invoker).WatchToEndAsync(applied.Operation.Name);

            var sessions = new SessionService.SessionServiceClient(invoker);
            var created = (await sessions.CreateSessionAsync(Schedule(tenant, technician, Guest("erin.expert@oem.example"), Member(vendor)))).Session;
            await sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Member(technician), Client = ClientKind.RemoteAssistHololens });
            await sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = Guest("erin.expert@oem.example"), Client = ClientKind.TeamsDesktop });
            return created.Name;
        });

        var before = await WithChannel(world, 2, channel => SnapshotAsync(world, channel, names, tenant, vendor, technician, session));

        for (var i = 0; i < 3; i++)
        {
            await world.Cluster.StopMemberAsync(i, TimeSpan.FromSeconds(30));
        }

        for (var i = 0; i < 3; i++)
        {
            await world.Cluster.StartMemberAsync(i);
        }

        var after = await WithChannel(world, 0, channel => SnapshotAsync(world, channel, names, tenant, vendor, technician, session));

        Assert.Equal(before.Keys, after.Keys);
        foreach (var (what, bytes) in before)
        {
            Assert.True(bytes.SequenceEqual(after[what]), $"{what} differs after the restart");
        }
    }

    /// <summary>Every read the API offers of what was made, each as the bytes of its response message.</summary>
    private static async Task<Dictionary<string, byte[]>> SnapshotAsync(ClusterWorld world, global::Grpc.Net.Client.GrpcChannel channel, IReadOnlyList<string> tenants, OnboardedTenant tenant, string vendor, string technician, string session)
    {
        var invoker = world.Writer(channel);
        var snapshot = new Dictionary<string, byte[]>();
        var tenantClient = new TenantService.TenantServiceClient(invoker);
        foreach (var name in tenants)
        {
            snapshot[name] = (await tenantClient.GetTenantAsync(new GetTenantRequest { Name = name })).ToByteArray();
        }

        snapshot["tenants"] = (await tenantClient.ListTenantsAsync(new ListTenantsRequest())).ToByteArray();
        snapshot["accounts"] = (await new ServiceAccountService.ServiceAccountServiceClient(invoker).ListServiceAccountsAsync(new ListServiceAccountsRequest { Parent = tenant.Name })).ToByteArray();
        var barriers = new BarrierService.BarrierServiceClient(invoker);
        snapshot["segments"] = (await barriers.ListSegmentsAsync(new ListSegmentsRequest { Parent = tenant.Name })).ToByteArray();
        snapshot["policies"] = (await barriers.ListBarrierPoliciesAsync(new ListBarrierPoliciesRequest { Parent = tenant.Name })).ToByteArray();
        snapshot["check"] = (await barriers.CheckBarrierAsync(new CheckBarrierRequest { Parent = tenant.Name, UserA = vendor, UserB = technician, Activity = CheckBarrierRequest.Types.Activity.Call })).ToByteArray();
        snapshot["session"] = (await new SessionService.SessionServiceClient(invoker).GetSessionAsync(new GetSessionRequest { Name = session, View = SessionView.Full })).ToByteArray();
        snapshot["operations"] = (await new OperationService.OperationServiceClient(invoker).ListOperationsAsync(new ListOperationsRequest())).ToByteArray();
        return snapshot;
    }

    private static async Task<T> WithChannel<T>(ClusterWorld world, int member, Func<global::Grpc.Net.Client.GrpcChannel, Task<T>> use)
    {
        using var channel = world.ChannelTo(member);
        return await use(channel);
    }
}
