using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class TenantLifecycleTests(ServerFixture fixture)
{
    private readonly string _partner = TestIds.NewPartner();
    private ServerInstance Server => fixture.Server;
    private TenantService.TenantServiceClient Tenants => Server.Tenants(fixture.Tokens.Writer(_partner));
    private OperationService.OperationServiceClient Operations => Server.Operations(fixture.Tokens.Reader(_partner));

    [Fact]
    public async Task Onboarding_runs_as_a_watched_operation_and_leaves_the_tenant_active()
    {
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var request = ReadyTenants.Create(tenantId.ToUpperInvariant());
        var created = await Tenants.CreateTenantAsync(request);
        Assert.Equal(Tenant.Types.State.AwaitingApproval, created.Tenant.State);
        Assert.Equal(created.Tenant.Name, "tenants/" + created.Tenant.TenantId);
        Assert.Equal(created.Tenant.TenantId.ToLowerInvariant(), created.Tenant.TenantId);
        Assert.Equal(created.Operation.Name, created.Tenant.Operation);
        Assert.Equal(Operation.Types.Kind.OnboardTenant, created.Operation.Kind);

        var updates = await Operations.WatchToEndAsync(created.Operation.Name);
        var last = updates[^1];
        Assert.True(last.Done);
        Assert.Equal(Operation.Types.State.Succeeded, last.State);
        Assert.Equal(100, last.ProgressPercent);
        Assert.All(last.Steps, s => Assert.Equal(OperationStep.Types.State.Succeeded, s.State));
        Assert.Equal(updates.Select(u => u.Version).Order(), updates.Select(u => u.Version));

        var tenant = (await Tenants.GetTenantAsync(new GetTenantRequest { Name = created.Tenant.Name })).Tenant;
        Assert.Equal(Tenant.Types.State.Active, tenant.State);
        Assert.NotEqual(created.Tenant.Etag, tenant.Etag);
        Assert.True(tenant.Readiness.Ready);
        Assert.All(tenant.Readiness.Checks.Where(c => c.Blocking), c => Assert.Equal(ReadinessReport.Types.Result.Passed, c.Result));
        Assert.NotEmpty(tenant.VerifiedDomains);
        Assert.Equal(
            ["await-approval", "register-with-partner", "verify-consent", "read-organization", "read-licences", "probe-meeting-access", "read-sign-in-prerequisites", "publish-readiness"],
            last.Steps.Select(s => s.Id));
    }

    [Fact]
    public async Task A_watcher_that_reconnects_resumes_after_the_last_version_it_saw()
    {
        var created = await CreateActiveTenantAsync("Resume");
        var all = await Operations.WatchToEndAsync(created.Operation);
        var resumed = await Operations.WatchToEndAsync(created.Operation, afterVersion: all[^1].Version);
        Assert.Empty(resumed);
    }

    [Fact]
    public async Task Update_with_a_stale_etag_is_aborted_and_changes_nothing()
    {
        var tenant = await CreateActiveTenantAsync("Before");
        var updated = await Tenants.UpdateTenantAsync(new UpdateTenantRequest
        {
            Tenant = new Tenant { Name = tenant.Name, DisplayName = "After", Etag = tenant.Etag },
            UpdateMask = new FieldMask { Paths = { "display_name" } },
        });
        Assert.Equal("After", updated.Tenant.DisplayName);

        var ex = await RpcAssert.Fails(StatusCode.Aborted, () => Tenants.UpdateTenantAsync(new UpdateTenantRequest
        {
            Tenant = new Tenant { Name = tenant.Name, DisplayName = "Lost update", Etag = tenant.Etag },
            UpdateMask = new FieldMask { Paths = { "display_name" } },
        }));
        Assert.Equal("ETAG_MISMATCH", ex.Reason());
        var current = (await Tenants.GetTenantAsync(new GetTenantRequest { Name = tenant.Name })).Tenant;
        Assert.Equal("After", current.DisplayName);
        Assert.Equal(updated.Tenant.Etag, current.Etag);
    }

    [Fact]
    public async Task Offboarding_forgets_the_tenant_once_its_operation_succeeds()
    {
        var tenant = await CreateActiveTenantAsync("Leaving");
        await RpcAssert.Fails(StatusCode.Aborted, () => Tenants.DeleteTenantAsync(new DeleteTenantRequest { Name = tenant.Name, Etag = "\"999\"" }));

        var deleted = await Tenants.DeleteTenantAsync(new DeleteTenantRequest { Name = tenant.Name, Etag = tenant.Etag });
        Assert.Equal(Operation.Types.Kind.OffboardTenant, deleted.Operation.Kind);
        var updates = await Operations.WatchToEndAsync(deleted.Operation.Name);
        Assert.Equal(Operation.Types.State.Succeeded, updates[^1].State);

        await RpcAssert.Fails(StatusCode.NotFound, () => Tenants.GetTenantAsync(new GetTenantRequest { Name = tenant.Name }));
        var listed = await Tenants.ListTenantsAsync(new ListTenantsRequest());
        Assert.DoesNotContain(listed.Tenants, t => t.Name == tenant.Name);

        var again = await Tenants.CreateTenantAsync(new CreateTenantRequest { TenantId = tenant.TenantId, Tenant = new Tenant { DisplayName = "Back" } });
        Assert.Equal(Tenant.Types.State.AwaitingApproval, again.Tenant.State);
    }

    private async Task<Tenant> CreateActiveTenantAsync(string displayName)
    {
        var request = ReadyTenants.Create(await ReadyTenants.AddAsync(fixture.Emulator));
        request.Tenant.DisplayName = displayName;
        var created = await Tenants.CreateTenantAsync(request);
        await Operations.WatchToEndAsync(created.Operation.Name);
        return (await Tenants.GetTenantAsync(new GetTenantRequest { Name = created.Tenant.Name })).Tenant;
    }
}
