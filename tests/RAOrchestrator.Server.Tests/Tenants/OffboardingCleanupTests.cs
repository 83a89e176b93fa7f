using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using RAOrchestrator.Abstractions.Barriers;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Grains.Barriers;
using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>After offboarding nothing of the tenant is left alive: sessions, meetings, barriers, indexes, half-made accounts.</summary>
[Collection(ServerCollection.Name)]
public sealed class OffboardingCleanupTests(ServerFixture fixture)
{
    private readonly string _partner = TestIds.NewPartner();
    private ServiceAccountService.ServiceAccountServiceClient Accounts => new(fixture.Server.Invoker(fixture.Tokens.Writer(_partner)));
    private BarrierService.BarrierServiceClient Barriers => new(fixture.Server.Invoker(fixture.Tokens.Writer(_partner)));
    private TenantService.TenantServiceClient Tenants => fixture.Server.Tenants(fixture.Tokens.Writer(_partner));
    private OperationService.OperationServiceClient Operations => fixture.Server.Operations(fixture.Tokens.Reader(_partner));

    [Fact]
    public async Task Offboarding_cancels_sessions_deletes_their_meetings_removes_barriers_and_a_new_onboarding_starts_clean()
    {
        var world = new SessionWorld(fixture, _partner);
        var tenant = await world.TenantAsync();
        var session = (await world.Sessions.CreateSessionAsync(SessionWorld.Schedule(tenant, tenant.Technician, SessionWorld.Guest("erin@oem.example")))).Session;
        var emulated = fixture.Emulator.State.Tenants[tenant.TenantId];
        Assert.Single(emulated.OnlineMeetings);
        await Barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = tenant.Name, SegmentId = "Technicians", Segment = new Segment { UserGroupFilter = "Department -eq 'Field-Technicians'" } });
        var applied = await Barriers.ApplyBarrierPoliciesAsync(new ApplyBarrierPoliciesRequest { Parent = tenant.Name, RequestId = TestIds.NewRequestId() });
        Assert.Equal(Operation.Types.State.Succeeded, (await Operations.WatchToEndAsync(applied.Operation.Name))[^1].State);
        var grains = fixture.Server.Services.GetRequiredService<IGrainFactory>();
        var published = (await grains.GetGrain<IBarrierGrain>($"{tenant.Name}/barriers").GetPublishedAsync())!;
        Assert.NotNull(await grains.GetGrain<IBarrierPartGrain>(BarrierGrain.PartKey(tenant.Name, published.Version, "header")).GetAsync());

        var deleted = await Tenants.DeleteTenantAsync(new DeleteTenantRequest { Name = tenant.Name, RequestId = TestIds.NewRequestId() });
        var done = (await Operations.WatchToEndAsync(deleted.Operation.Name))[^1];

        Assert.True(Operation.Types.State.Succeeded == done.State, done.Error?.Message);
        Assert.Equal(["deprovision-service-accounts", "cancel-sessions", "remove-barriers", "clear-indexes", "unregister-from-partner"], done.Steps.Select(s => s.Id));
        Assert.Empty(emulated.OnlineMeetings);
        Assert.Null(await grains.GetGrain<IBarrierPartGrain>(BarrierGrain.PartKey(tenant.Name, published.Version, "header")).GetAsync());
        var reminders = await fixture.Server.Services.GetRequiredService<IReminderTable>().ReadRows(GrainId.Create("session", session.Name));
        Assert.Empty(reminders.Reminders);

        var again = await Tenants.CreateTenantAsync(ReadyTenants.Create(tenant.TenantId));
        Assert.Equal(Operation.Types.State.Succeeded, (await Operations.WatchToEndAsync(again.Operation.Name))[^1].State);
        Assert.Empty((await world.Sessions.ListSessionsAsync(new ListSessionsRequest { Parent = tenant.Name })).Sessions);
        await RpcAssert.Fails(StatusCode.NotFound, () => world.Sessions.GetSessionAsync(new GetSessionRequest { Name = session.Name }));
        Assert.Empty((await Barriers.ListSegmentsAsync(new ListSegmentsRequest { Parent = tenant.Name })).Segments);
    }

    [Fact]
    public async Task An_offboarding_whose_meeting_deletion_failed_once_finishes_when_retried()
    {
        var world = new SessionWorld(fixture, _partner);
        var tenant = await world.TenantAsync();
        await world.Sessions.CreateSessionAsync(SessionWorld.Schedule(tenant, tenant.Technician, SessionWorld.Guest("erin@oem.example")));
        var emulated = fixture.Emulator.State.Tenants[tenant.TenantId];

        fixture.Emulator.State.Faults.Refuse(new RefusalFault("DELETE /users/{id}/onlineMeetings/{id}"));
        Operation failed;
        try
        {
            var first = await Tenants.DeleteTenantAsync(new DeleteTenantRequest { Name = tenant.Name, RequestId = TestIds.NewRequestId() });
            failed = (await Operations.WatchToEndAsync(first.Operation.Name))[^1];
        }
        finally
        {
            fixture.Emulator.State.Faults.ClearRefusals();
        }

        Assert.Equal(Operation.Types.State.Failed, failed.State);
        Assert.Equal("cancel-sessions", failed.Steps.Single(s => s.State == OperationStep.Types.State.Failed).Id);
        Assert.Single(emulated.OnlineMeetings);

        var retried = await Tenants.DeleteTenantAsync(new DeleteTenantRequest { Name = tenant.Name, RequestId = TestIds.NewRequestId() });
        var done = (await Operations.WatchToEndAsync(retried.Operation.Name))[^1];

        Assert.True(Operation.Types.State.Succeeded == done.State, done.Error?.Message);
        Assert.Empty(emulated.OnlineMeetings);
    }

    [Fact]
    public async Task A_session_still_being_scheduled_when_its_tenant_is_offboarded_is_dropped_and_its_reminder_stops()
    {
        var world = new SessionWorld(fixture, _partner);
        var tenant = await world.TenantAsync();
        var request = SessionWorld.Schedule(tenant, tenant.Technician, SessionWorld.Guest("erin@oem.example"));
        var session = $"{tenant.Name}/sessions/{request.SessionId}";
        var reminders = fixture.Server.Services.GetRequiredService<IReminderTable>();
        // createOrGet, named as the counters name it.
        fixture.Emulator.State.Faults.Refuse(new RefusalFault("POST /users/{id}/onlineMeetings/{id}", 503, "serviceNotAvailable", "The service is temporarily unavailable.", Times: 1000));
        Operation done;
        try
        {
            await RpcAssert.Fails(StatusCode.Unavailable, () => world.Sessions.CreateSessionAsync(request));
            Assert.NotEmpty((await reminders.ReadRows(GrainId.Create("session", session))).Reminders);

            var deleted = await Tenants.DeleteTenantAsync(new DeleteTenantRequest { Name = tenant.Name, RequestId = TestIds.NewRequestId() });
            done = (await Operations.WatchToEndAsync(deleted.Operation.Name))[^1];
        }
        finally
        {
            fixture.Emulator.State.Faults.ClearRefusals();
        }

        Assert.True(Operation.Types.State.Succeeded == done.State, done.Error?.Message);
        Assert.Empty((await reminders.ReadRows(GrainId.Create("session", session))).Reminders);
        Assert.Empty(fixture.Emulator.State.Tenants[tenant.TenantId].OnlineMeetings);
    }

    [Fact]
    public async Task An_account_still_provisioning_when_offboarding_starts_is_finished_and_undone_before_it_is_forgotten()
    {
        var (tenant, tenantId, domain) = await AccountTenants.ActiveAsync(fixture, _partner);
        // The user is created, but its licences cannot be assigned yet: the account stays PROVISIONING.
        fixture.Emulator.State.Faults.Refuse(new RefusalFault("POST /users/{id}/assignLicense", 503, "serviceNotAvailable", "The service is temporarily unavailable.", Times: 10));
        Operation done;
        try
        {
            try
            {
                await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "halfway", $"halfway@{domain}"));
            }
            catch (RpcException slow) when (slow.StatusCode == StatusCode.Unavailable)
            {
                // The service's own deadline passed while Graph kept refusing: the account is there, still provisioning.
            }

            var pending = (await Accounts.GetServiceAccountAsync(new GetServiceAccountRequest { Name = $"{tenant}/serviceAccounts/halfway" })).ServiceAccount;
            Assert.Equal(ServiceAccount.Types.State.Provisioning, pending.State);
            Assert.True((bool)fixture.Emulator.State.Tenants[tenantId].FindUser($"halfway@{domain}")!["accountEnabled"]!);

            var deleted = await Tenants.DeleteTenantAsync(new DeleteTenantRequest { Name = tenant, RequestId = TestIds.NewRequestId() });
            done = (await Operations.WatchToEndAsync(deleted.Operation.Name, within: TimeSpan.FromSeconds(90)))[^1];
        }
        finally
        {
            fixture.Emulator.State.Faults.ClearRefusals();
        }

        Assert.True(Operation.Types.State.Succeeded == done.State, done.Error?.Message);
        // No enabled, licensed user is left that nothing tracks.
        var user = fixture.Emulator.State.Tenants[tenantId].FindUser($"halfway@{domain}")!;
        Assert.False((bool)user["accountEnabled"]!);
        Assert.Empty(AccountTenants.Skus(user));
        Assert.Equal(0, fixture.Emulator.State.Tenants[tenantId].ConsumedUnits(TestEmulator.RemoteAssistSku));
    }
}
