using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class PersistenceTests(ServerFixture fixture)
{
    [Fact]
    public async Task A_tenant_created_before_a_restart_is_there_unchanged_after_it()
    {
        var serviceId = "restart-" + Guid.NewGuid().ToString("N")[..8];
        var partner = TestIds.NewPartner();
        Tenant before;
        Operation beforeOperation;

        await using (var first = await ServerInstance.StartAsync(fixture.Azurite, fixture.Emulator, fixture.Tokens, serviceId))
        {
            var created = await first.Tenants(fixture.Tokens.Writer(partner)).CreateTenantAsync(new CreateTenantRequest
            {
                TenantId = await ReadyTenants.AddAsync(fixture.Emulator, consent: false),
                Tenant = new Tenant { DisplayName = "Survivor \u00e9\u4e2d\U0001F680" },
            });
            var operations = first.Operations(fixture.Tokens.Reader(partner));
            await operations.WatchToEndAsync(created.Operation.Name);
            before = (await first.Tenants(fixture.Tokens.Reader(partner)).GetTenantAsync(new GetTenantRequest { Name = created.Tenant.Name })).Tenant;
            beforeOperation = (await operations.GetOperationAsync(new GetOperationRequest { Name = created.Operation.Name })).Operation;
        }

        await using var second = await ServerInstance.StartAsync(fixture.Azurite, fixture.Emulator, fixture.Tokens, serviceId);
        var after = (await second.Tenants(fixture.Tokens.Reader(partner)).GetTenantAsync(new GetTenantRequest { Name = before.Name })).Tenant;
        var afterOperation = (await second.Operations(fixture.Tokens.Reader(partner)).GetOperationAsync(new GetOperationRequest { Name = beforeOperation.Name })).Operation;
        var listed = await second.Tenants(fixture.Tokens.Reader(partner)).ListTenantsAsync(new ListTenantsRequest());

        Assert.Equal(before, after);
        Assert.Equal(beforeOperation, afterOperation);
        Assert.Equal([before], listed.Tenants);
    }
}
