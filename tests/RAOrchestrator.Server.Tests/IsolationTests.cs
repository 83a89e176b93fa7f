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
    public async Task Onboarding_a_tenant_another_partner_manages_answers_like_any_existing_tenant()
    {
        var tenantId = TestIds.NewTenantId();
        var owner = TestIds.NewPartner();
        await Server.Tenants(Tokens.Writer(owner)).CreateTenantAsync(new CreateTenantRequest { TenantId = tenantId, Tenant = new Tenant { DisplayName = "A" } });

        var byOwner = await RpcAssert.Fails(StatusCode.AlreadyExists, () => Server.Tenants(Tokens.Writer(owner)).CreateTenantAsync(new CreateTenantRequest { TenantId = tenantId, Tenant = new Tenant { DisplayName = "A" } }));
        var byOther = await RpcAssert.Fails(StatusCode.AlreadyExists, () => Server.Tenants(Tokens.Writer(TestIds.NewPartner())).CreateTenantAsync(new CreateTenantRequest { TenantId = tenantId, Tenant = new Tenant { DisplayName = "A" } }));
        Assert.Equal(byOwner.Status.Detail, byOther.Status.Detail);
        Assert.Equal("TENANT_ALREADY_ONBOARDED", byOther.Reason());
    }
}
