using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>DeleteServiceAccount honours its request_id: a repeat answers as the first call did, even once the account is gone.</summary>
[Collection(ServerCollection.Name)]
public sealed class ServiceAccountRequestIdTests(ServerFixture fixture)
{
    private readonly string _partner = TestIds.NewPartner();

    private ServiceAccountService.ServiceAccountServiceClient Accounts => new(fixture.Server.Invoker(fixture.Tokens.Writer(_partner)));

    [Fact]
    public async Task A_repeated_delete_answers_as_the_first_did_and_a_new_one_finds_nothing()
    {
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var tenant = await fixture.Server.Tenants(fixture.Tokens.Writer(_partner)).CreateTenantAsync(ReadyTenants.Create(tenantId));
        await fixture.Server.Operations(fixture.Tokens.Reader(_partner)).WatchToEndAsync(tenant.Operation.Name);
        var created = (await Accounts.CreateServiceAccountAsync(new CreateServiceAccountRequest
        {
            RequestId = TestIds.NewRequestId(),
            Parent = tenant.Tenant.Name,
            ServiceAccountId = "leaving",
            ServiceAccount = new ServiceAccount { DisplayName = "OEM vendor", UserPrincipalName = $"leaving@t{tenantId[..8]}.example", UsageLocation = "DE" },
        })).ServiceAccount;

        var delete = new DeleteServiceAccountRequest { RequestId = TestIds.NewRequestId(), Name = created.Name };
        await Accounts.DeleteServiceAccountAsync(delete);
        await Accounts.DeleteServiceAccountAsync(delete);

        var fresh = await RpcAssert.Fails(StatusCode.NotFound, () => Accounts.DeleteServiceAccountAsync(new DeleteServiceAccountRequest { RequestId = TestIds.NewRequestId(), Name = created.Name }));
        Assert.Equal("NOT_FOUND", fresh.Reason());
        await RpcAssert.Fails(StatusCode.NotFound, () => Accounts.DeleteServiceAccountAsync(new DeleteServiceAccountRequest { Name = created.Name }));
    }
}
