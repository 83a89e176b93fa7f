using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>Offboarding undoes what the service did, treats what is already undone as done, and can always be finished.</summary>
[Collection(ServerCollection.Name)]
public sealed class OffboardingTests(ServerFixture fixture)
{
    private readonly string _partner = TestIds.NewPartner();
    private ServiceAccountService.ServiceAccountServiceClient Accounts => new(fixture.Server.Invoker(fixture.Tokens.Writer(_partner)));
    private TenantService.TenantServiceClient Tenants => fixture.Server.Tenants(fixture.Tokens.Writer(_partner));
    private OperationService.OperationServiceClient Operations => fixture.Server.Operations(fixture.Tokens.Reader(_partner));

    [Fact]
    public async Task Offboarding_finishes_when_the_vendor_user_was_deleted_in_the_directory_first()
    {
        var (tenant, tenantId, domain) = await AccountTenants.ActiveAsync(fixture, _partner);
        var account = (await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "gone", $"gone@{domain}"))).ServiceAccount;
        var emulated = fixture.Emulator.State.Tenants[tenantId];
        lock (fixture.Emulator.State.Sync)
        {
            emulated.Users.Remove(emulated.FindUser(account.DirectoryUserId)!);
        }

        var done = await OffboardAsync(tenant);

        Assert.True(Operation.Types.State.Succeeded == done.State, done.Error?.Message);
        await RpcAssert.Fails(StatusCode.NotFound, () => Tenants.GetTenantAsync(new GetTenantRequest { Name = tenant }));
    }

    [Fact]
    public async Task Deleting_an_account_whose_licence_or_user_is_already_gone_succeeds()
    {
        var (tenant, tenantId, domain) = await AccountTenants.ActiveAsync(fixture, _partner);
        var stripped = (await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "stripped", $"stripped@{domain}", barrierLicense: true))).ServiceAccount;
        var vanished = (await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "vanished", $"vanished@{domain}"))).ServiceAccount;
        var emulated = fixture.Emulator.State.Tenants[tenantId];
        lock (fixture.Emulator.State.Sync)
        {
            // The admin took the E5 licence away by hand, and deleted the other user.
            var licences = (System.Text.Json.Nodes.JsonArray)emulated.FindUser(stripped.DirectoryUserId)!["assignedLicenses"]!;
            licences.Remove(licences.Single(l => (string?)l!["skuId"] == TestEmulator.E5Sku.ToString()));
            emulated.Users.Remove(emulated.FindUser(vanished.DirectoryUserId)!);
        }

        await Accounts.DeleteServiceAccountAsync(new DeleteServiceAccountRequest { Name = stripped.Name });
        await Accounts.DeleteServiceAccountAsync(new DeleteServiceAccountRequest { Name = vanished.Name });

        var user = emulated.FindUser(stripped.DirectoryUserId)!;
        Assert.Empty(AccountTenants.Skus(user));
        Assert.False((bool)user["accountEnabled"]!);
        Assert.Empty((await Accounts.ListServiceAccountsAsync(new ListServiceAccountsRequest { Parent = tenant })).ServiceAccounts);
    }

    [Theory]
    [InlineData("GET /users/{id}")]
    [InlineData("POST /users/{id}/assignLicense")]
    [InlineData("PATCH /users/{id}")]
    public async Task An_offboarding_whose_step_failed_once_finishes_when_retried(string endpoint)
    {
        var (tenant, tenantId, domain) = await AccountTenants.ActiveAsync(fixture, _partner);
        var account = (await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "vendor", $"vendor@{domain}"))).ServiceAccount;

        fixture.Emulator.State.Faults.Refuse(new RefusalFault(endpoint));
        OperationStep failedStep;
        try
        {
            var failed = await OffboardAsync(tenant);
            Assert.Equal(Operation.Types.State.Failed, failed.State);
            failedStep = failed.Steps.Single(s => s.State == OperationStep.Types.State.Failed);
        }
        finally
        {
            fixture.Emulator.State.Faults.ClearRefusals();
        }

        Assert.Equal("deprovision-service-accounts", failedStep.Id);
        var stuck = (await Tenants.GetTenantAsync(new GetTenantRequest { Name = tenant })).Tenant;
        Assert.Equal(Tenant.Types.State.Offboarding, stuck.State);

        var retried = await OffboardAsync(tenant);

        Assert.True(Operation.Types.State.Succeeded == retried.State, retried.Error?.Message);
        var user = fixture.Emulator.State.Tenants[tenantId].FindUser(account.DirectoryUserId)!;
        Assert.False((bool)user["accountEnabled"]!);
        Assert.Empty(AccountTenants.Skus(user));
        await RpcAssert.Fails(StatusCode.NotFound, () => Tenants.GetTenantAsync(new GetTenantRequest { Name = tenant }));
    }

    [Fact]
    public async Task While_offboarding_runs_no_account_can_be_created_and_a_later_onboarding_starts_clean()
    {
        var (tenant, tenantId, domain) = await AccountTenants.ActiveAsync(fixture, _partner);
        await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "old", $"old@{domain}"));

        // Graph stays unavailable for disabling users: offboarding waits and retries.
        fixture.Emulator.State.Faults.Refuse(new RefusalFault("PATCH /users/{id}", 503, "serviceNotAvailable", "The service is temporarily unavailable.", Times: 1000));
        Operation done;
        try
        {
            var deleted = await Tenants.DeleteTenantAsync(new DeleteTenantRequest { Name = tenant, RequestId = TestIds.NewRequestId() });
            var refused = await RpcAssert.Fails(StatusCode.FailedPrecondition,
                () => Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "late", $"late@{domain}")));
            Assert.Equal("TENANT_NOT_ACTIVE", refused.Reason());
            fixture.Emulator.State.Faults.ClearRefusals();
            done = (await Operations.WatchToEndAsync(deleted.Operation.Name, within: TimeSpan.FromSeconds(90)))[^1];
        }
        finally
        {
            fixture.Emulator.State.Faults.ClearRefusals();
        }

        Assert.True(Operation.Types.State.Succeeded == done.State, done.Error?.Message);
        Assert.DoesNotContain(fixture.Emulator.State.Tenants[tenantId].Users, u => (string?)u["userPrincipalName"] == $"late@{domain}");

        var again = await Tenants.CreateTenantAsync(ReadyTenants.Create(tenantId));
        Assert.Equal(Operation.Types.State.Succeeded, (await Operations.WatchToEndAsync(again.Operation.Name))[^1].State);
        Assert.Empty((await Accounts.ListServiceAccountsAsync(new ListServiceAccountsRequest { Parent = tenant })).ServiceAccounts);
        var summary = await Accounts.GetLicenseSummaryAsync(new GetLicenseSummaryRequest { Parent = tenant });
        Assert.All(summary.Skus, s => Assert.Equal(0, s.Reserved));
        var fresh = (await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "fresh", $"fresh@{domain}"))).ServiceAccount;
        Assert.Equal(ServiceAccount.Types.State.Active, fresh.State);
    }

    private async Task<Operation> OffboardAsync(string tenant)
    {
        var deleted = await Tenants.DeleteTenantAsync(new DeleteTenantRequest { Name = tenant, RequestId = TestIds.NewRequestId() });
        return (await Operations.WatchToEndAsync(deleted.Operation.Name, within: TimeSpan.FromSeconds(90)))[^1];
    }
}
