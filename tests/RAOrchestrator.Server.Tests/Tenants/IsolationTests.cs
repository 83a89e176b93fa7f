using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class IsolationTests(ServerFixture fixture)
{
    private ServerInstance Server => fixture.Server;
    private Tokens Tokens => fixture.Tokens;

    [Fact]
    public async Task Another_partner_cannot_get_list_change_or_delete_a_tenant_nor_tell_it_exists()
    {
        var partnerA = TestIds.NewPartner();
        var partnerB = TestIds.NewPartner();
        var tenantId = TestIds.NewTenantId();
        var created = await Server.Tenants(Tokens.Writer(partnerA)).CreateTenantAsync(new CreateTenantRequest
        {
            TenantId = tenantId,
            Tenant = new Tenant { DisplayName = "Company ABC" },
        });

        var asB = Server.Tenants(Tokens.Writer(partnerB));
        var missing = "tenants/" + TestIds.NewTenantId();

        var getTheirs = await RpcAssert.Fails(StatusCode.NotFound, () => asB.GetTenantAsync(new GetTenantRequest { Name = created.Tenant.Name }));
        var getNobodys = await RpcAssert.Fails(StatusCode.NotFound, () => asB.GetTenantAsync(new GetTenantRequest { Name = missing }));
        Assert.Equal(getNobodys.Status.Detail.Replace(missing, "X"), getTheirs.Status.Detail.Replace(created.Tenant.Name, "X"));
        Assert.Equal(getNobodys.Reason(), getTheirs.Reason());

        await RpcAssert.Fails(StatusCode.NotFound, () => asB.UpdateTenantAsync(new UpdateTenantRequest
        {
            Tenant = new Tenant { Name = created.Tenant.Name, DisplayName = "Hijacked" },
            UpdateMask = new FieldMask { Paths = { "display_name" } },
        }));
        await RpcAssert.Fails(StatusCode.NotFound, () => asB.DeleteTenantAsync(new DeleteTenantRequest { Name = created.Tenant.Name }));
        await RpcAssert.Fails(StatusCode.NotFound, () => Server.Operations(Tokens.Reader(partnerB)).GetOperationAsync(new GetOperationRequest { Name = created.Operation.Name }));

        var listed = await asB.ListTenantsAsync(new ListTenantsRequest());
        Assert.Empty(listed.Tenants);
        var operations = await Server.Operations(Tokens.Reader(partnerB)).ListOperationsAsync(new ListOperationsRequest());
        Assert.Empty(operations.Operations);

        var stillThere = await Server.Tenants(Tokens.Reader(partnerA)).GetTenantAsync(new GetTenantRequest { Name = created.Tenant.Name });
        Assert.Equal("Company ABC", stillThere.Tenant.DisplayName);
    }

    [Fact]
    public async Task Claiming_a_tenant_another_partner_manages_gives_nothing_away_and_takes_nothing_from_it()
    {
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var owner = TestIds.NewPartner();
        var owned = await Server.Tenants(Tokens.Writer(owner)).CreateTenantAsync(ReadyTenants.Create(tenantId));
        var byOwner = await RpcAssert.Fails(StatusCode.AlreadyExists, () => Server.Tenants(Tokens.Writer(owner)).CreateTenantAsync(ReadyTenants.Create(tenantId)));
        Assert.Equal("TENANT_ALREADY_ONBOARDED", byOwner.Reason());

        var other = TestIds.NewPartner();
        var claim = await new TenantService.TenantServiceClient(Server.Unapproved(Tokens.Writer(other))).CreateTenantAsync(ReadyTenants.Create(tenantId));

        Assert.Equal(Tenant.Types.State.AwaitingApproval, claim.Tenant.State);
        Assert.Empty(claim.Tenant.VerifiedDomains);
        Assert.Null(claim.Tenant.Readiness);
        Assert.All(claim.Tenant.OwnershipHistory, e => Assert.Equal(other, e.PartnerId));
        var stillOwned = (await Server.Tenants(Tokens.Reader(owner)).GetTenantAsync(new GetTenantRequest { Name = owned.Tenant.Name })).Tenant;
        Assert.Equal(owned.Tenant.Name, stillOwned.Name);
        Assert.NotEqual(Tenant.Types.State.AwaitingApproval, stillOwned.State);
    }
}
