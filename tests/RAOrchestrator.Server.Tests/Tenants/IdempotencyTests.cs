using Google.Protobuf.WellKnownTypes;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class IdempotencyTests(ServerFixture fixture)
{
    private readonly string _partner = TestIds.NewPartner();
    private TenantService.TenantServiceClient Tenants => fixture.Server.Tenants(fixture.Tokens.Writer(_partner));

    [Fact]
    public async Task The_same_create_sent_twice_with_one_request_id_makes_one_tenant()
    {
        var request = new CreateTenantRequest { RequestId = TestIds.NewRequestId(), TenantId = await ReadyTenants.AddAsync(fixture.Emulator, consent: false), Tenant = new Tenant { DisplayName = "Once" } };

        var results = await Task.WhenAll(Tenants.CreateTenantAsync(request).ResponseAsync, Tenants.CreateTenantAsync(request).ResponseAsync);
        var third = await Tenants.CreateTenantAsync(request);

        Assert.Equal(results[0].Operation.Name, results[1].Operation.Name);
        Assert.Equal(results[0].Operation.Name, third.Operation.Name);
        var listed = await Tenants.ListTenantsAsync(new ListTenantsRequest());
        Assert.Single(listed.Tenants, t => t.TenantId == request.TenantId);
        var operations = await fixture.Server.Operations(fixture.Tokens.Reader(_partner)).ListOperationsAsync(new ListOperationsRequest());
        Assert.Single(operations.Operations);
    }

    [Fact]
    public async Task A_repeated_update_returns_the_first_result_and_changes_nothing()
    {
        var created = await Tenants.CreateTenantAsync(new CreateTenantRequest { TenantId = await ReadyTenants.AddAsync(fixture.Emulator, consent: false), Tenant = new Tenant { DisplayName = "v1" } });
        var update = new UpdateTenantRequest
        {
            RequestId = TestIds.NewRequestId(),
            Tenant = new Tenant { Name = created.Tenant.Name, DisplayName = "v2" },
            UpdateMask = new FieldMask { Paths = { "display_name" } },
        };
        var first = await Tenants.UpdateTenantAsync(update);
        await Tenants.UpdateTenantAsync(new UpdateTenantRequest
        {
            Tenant = new Tenant { Name = created.Tenant.Name, DisplayName = "v3" },
            UpdateMask = new FieldMask { Paths = { "display_name" } },
        });

        var replay = await Tenants.UpdateTenantAsync(update);

        Assert.Equal(first.Tenant, replay.Tenant);
        var current = (await Tenants.GetTenantAsync(new GetTenantRequest { Name = created.Tenant.Name })).Tenant;
        Assert.Equal("v3", current.DisplayName);
    }

    [Fact]
    public async Task A_repeated_delete_returns_the_same_operation_even_after_the_tenant_is_gone()
    {
        var created = await Tenants.CreateTenantAsync(new CreateTenantRequest { TenantId = await ReadyTenants.AddAsync(fixture.Emulator, consent: false), Tenant = new Tenant { DisplayName = "Gone" } });
        var operations = fixture.Server.Operations(fixture.Tokens.Reader(_partner));
        await operations.WatchToEndAsync(created.Operation.Name);

        var delete = new DeleteTenantRequest { RequestId = TestIds.NewRequestId(), Name = created.Tenant.Name };
        var first = await Tenants.DeleteTenantAsync(delete);
        await operations.WatchToEndAsync(first.Operation.Name);
        var replay = await Tenants.DeleteTenantAsync(delete);

        Assert.Equal(first.Operation.Name, replay.Operation.Name);
        Assert.True(replay.Operation.Done);
    }

    [Fact]
    public async Task A_create_retried_after_the_tenant_was_offboarded_does_not_bring_it_back()
    {
        var request = new CreateTenantRequest { RequestId = TestIds.NewRequestId(), TenantId = await ReadyTenants.AddAsync(fixture.Emulator, consent: false), Tenant = new Tenant { DisplayName = "Late retry" } };
        var operations = fixture.Server.Operations(fixture.Tokens.Reader(_partner));
        var first = await Tenants.CreateTenantAsync(request);
        await operations.WatchToEndAsync(first.Operation.Name);
        var deleted = await Tenants.DeleteTenantAsync(new DeleteTenantRequest { Name = first.Tenant.Name });
        await operations.WatchToEndAsync(deleted.Operation.Name);

        var replay = await Tenants.CreateTenantAsync(request);

        Assert.Equal(first.Operation.Name, replay.Operation.Name);
        Assert.Equal(first.Tenant, replay.Tenant);
        await RpcAssert.Fails(global::Grpc.Core.StatusCode.NotFound, () => Tenants.GetTenantAsync(new GetTenantRequest { Name = first.Tenant.Name }));
    }
}
