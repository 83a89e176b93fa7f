using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class ValidationTests(ServerFixture fixture)
{
    private TenantService.TenantServiceClient Tenants => fixture.Server.Tenants(fixture.Tokens.Writer("validation-partner"));

    [Theory]
    [InlineData("")]
    [InlineData("tenants/")]
    [InlineData("tenants/contoso")]
    [InlineData("tenant/72f988bf-86f1-41af-91ab-2d7cd011db47")]
    [InlineData("tenants/72f988bf-86f1-41af-91ab-2d7cd011db47/extra")]
    public async Task A_malformed_tenant_name_is_invalid_and_names_the_field(string name)
    {
        var ex = await RpcAssert.Fails(StatusCode.InvalidArgument, () => Tenants.GetTenantAsync(new GetTenantRequest { Name = name }));
        Assert.Equal(["name"], ex.ViolatedFields());
    }

    [Fact]
    public async Task A_create_without_tenant_id_or_display_name_lists_both_fields()
    {
        var ex = await RpcAssert.Fails(StatusCode.InvalidArgument, () => Tenants.CreateTenantAsync(new CreateTenantRequest { TenantId = "not-a-guid" }));
        Assert.Equal(["tenant_id", "tenant.display_name"], ex.ViolatedFields());
    }

    [Theory]
    [InlineData("has spaces")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task A_malformed_request_id_is_invalid(string requestId)
    {
        var ex = await RpcAssert.Fails(StatusCode.InvalidArgument, () => Tenants.CreateTenantAsync(new CreateTenantRequest
        {
            RequestId = requestId,
            TenantId = TestIds.NewTenantId(),
            Tenant = new Tenant { DisplayName = "Contoso" },
        }));
        Assert.Equal(["request_id"], ex.ViolatedFields());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1001)]
    [InlineData(int.MaxValue)]
    public async Task A_page_size_out_of_range_is_invalid(int pageSize)
    {
        var ex = await RpcAssert.Fails(StatusCode.InvalidArgument, () => Tenants.ListTenantsAsync(new ListTenantsRequest { PageSize = pageSize }));
        Assert.Equal(["page_size"], ex.ViolatedFields());
    }

    [Theory]
    [InlineData("garbage!")]
    [InlineData("djE6")]
    public async Task A_page_token_this_service_did_not_issue_is_invalid(string token)
    {
        var ex = await RpcAssert.Fails(StatusCode.InvalidArgument, () => Tenants.ListTenantsAsync(new ListTenantsRequest { PageToken = token }));
        Assert.Equal(["page_token"], ex.ViolatedFields());
    }

    [Fact]
    public async Task An_update_of_a_field_that_cannot_change_names_the_mask()
    {
        var ex = await RpcAssert.Fails(StatusCode.InvalidArgument, () => Tenants.UpdateTenantAsync(new UpdateTenantRequest
        {
            Tenant = new Tenant { Name = "tenants/" + TestIds.NewTenantId(), DisplayName = "x" },
            UpdateMask = new FieldMask { Paths = { "state" } },
        }));
        Assert.Equal(["update_mask.paths"], ex.ViolatedFields());
    }

    [Fact]
    public async Task A_display_name_with_control_characters_is_invalid()
    {
        var ex = await RpcAssert.Fails(StatusCode.InvalidArgument, () => Tenants.CreateTenantAsync(new CreateTenantRequest
        {
            TenantId = TestIds.NewTenantId(),
            Tenant = new Tenant { DisplayName = "bad\u0000name" },
        }));
        Assert.Equal(["tenant.display_name"], ex.ViolatedFields());
    }

    [Fact]
    public async Task A_malformed_operation_name_is_invalid()
    {
        var operations = fixture.Server.Operations(fixture.Tokens.Reader("validation-partner"));
        var ex = await RpcAssert.Fails(StatusCode.InvalidArgument, () => operations.GetOperationAsync(new GetOperationRequest { Name = "operations/../../etc" }));
        Assert.Equal(["name"], ex.ViolatedFields());
    }
}
