using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>The service changes only what it made in a customer's directory, and cleanup never gets stuck.</summary>
[Collection(ServerCollection.Name)]
public sealed class DirectorySafetyTests(ServerFixture fixture)
{
    private readonly string _partner = TestIds.NewPartner();
    private ServiceAccountService.ServiceAccountServiceClient Accounts => new(fixture.Server.Invoker(fixture.Tokens.Writer(_partner)));
    private TenantService.TenantServiceClient Tenants => fixture.Server.Tenants(fixture.Tokens.Writer(_partner));

    [Fact]
    public async Task A_second_account_with_the_same_upn_is_refused_and_the_first_keeps_its_user_and_seat()
    {
        var (tenant, tenantId, domain) = await AccountTenants.ActiveAsync(fixture, _partner);
        var first = (await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "first", $"shared@{domain}"))).ServiceAccount;
        Assert.Equal(ServiceAccount.Types.State.Active, first.State);

        var refused = await RpcAssert.Fails(StatusCode.AlreadyExists,
            () => Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "second", $"SHARED@{domain}")));
        Assert.Equal("UPN_IN_USE_BY_ACCOUNT", refused.Reason());
        Assert.Contains(first.Name, refused.Status.Detail, StringComparison.Ordinal);

        // Nothing of the refused request holds the user: deleting what is left of it cannot touch the first account's user.
        if ((await Accounts.ListServiceAccountsAsync(new ListServiceAccountsRequest { Parent = tenant })).ServiceAccounts.Any(a => a.Name.EndsWith("/second", StringComparison.Ordinal)))
        {
            await Accounts.DeleteServiceAccountAsync(new DeleteServiceAccountRequest { Name = $"{tenant}/serviceAccounts/second" });
        }

        var emulated = fixture.Emulator.State.Tenants[tenantId];
        var user = emulated.FindUser(first.DirectoryUserId)!;
        Assert.True((bool)user["accountEnabled"]!);
        Assert.Contains(TestEmulator.RemoteAssistSku, AccountTenants.Skus(user));
        Assert.Equal(ServiceAccount.Types.State.Active, (await Accounts.GetServiceAccountAsync(new GetServiceAccountRequest { Name = first.Name })).ServiceAccount.State);
        var summary = await Accounts.GetLicenseSummaryAsync(new GetLicenseSummaryRequest { Parent = tenant, Refresh = true });
        Assert.Equal(1, summary.Skus.Single(s => s.SkuId == TestEmulator.RemoteAssistSku.ToString()).Consumed);
    }

    [Fact]
    public async Task Concurrent_creates_with_one_upn_give_exactly_one_account()
    {
        var (tenant, tenantId, domain) = await AccountTenants.ActiveAsync(fixture, _partner);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                return (await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, $"racer-{i}", $"racer@{domain}"))).ServiceAccount.State.ToString();
            }
            catch (RpcException ex)
            {
                return $"{ex.StatusCode}:{ex.Reason()}";
            }
        }));

        Assert.Equal(1, outcomes.Count(o => o == "Active"));
        Assert.Equal(7, outcomes.Count(o => o == "AlreadyExists:UPN_IN_USE_BY_ACCOUNT"));
        Assert.Single(fixture.Emulator.State.Tenants[tenantId].Users, u => (string?)u["userPrincipalName"] == $"racer@{domain}");
    }

    [Fact]
    public async Task Deleting_an_account_frees_its_upn_for_a_new_account()
    {
        var (tenant, _, domain) = await AccountTenants.ActiveAsync(fixture, _partner);
        var first = (await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "before", $"reused@{domain}"))).ServiceAccount;
        await Accounts.DeleteServiceAccountAsync(new DeleteServiceAccountRequest { Name = first.Name });

        var again = (await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "after", $"reused@{domain}"))).ServiceAccount;
        Assert.Equal(ServiceAccount.Types.State.Active, again.State);
    }

    [Fact]
    public async Task An_account_refused_for_lack_of_seats_can_be_deleted_and_the_tenant_offboarded()
    {
        var (tenant, tenantId, domain) = await AccountTenants.ActiveAsync(fixture, _partner, remoteAssistSeats: 1);
        var seated = (await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "seated", $"seated@{domain}"))).ServiceAccount;
        var refused = await RpcAssert.Fails(StatusCode.ResourceExhausted,
            () => Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "unseated", $"unseated@{domain}")));
        Assert.Equal("NO_SEATS_AVAILABLE", refused.Reason());
        var failed = (await Accounts.GetServiceAccountAsync(new GetServiceAccountRequest { Name = $"{tenant}/serviceAccounts/unseated" })).ServiceAccount;
        Assert.Equal(ServiceAccount.Types.State.Failed, failed.State);

        await Accounts.DeleteServiceAccountAsync(new DeleteServiceAccountRequest { Name = failed.Name });
        await RpcAssert.Fails(StatusCode.NotFound, () => Accounts.GetServiceAccountAsync(new GetServiceAccountRequest { Name = failed.Name }));
        Assert.Equal(ServiceAccount.Types.State.Active, (await Accounts.GetServiceAccountAsync(new GetServiceAccountRequest { Name = seated.Name })).ServiceAccount.State);

        // Another refused account stays FAILED; offboarding deletes it with the rest and finishes.
        await RpcAssert.Fails(StatusCode.ResourceExhausted, () => Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "unseated-2", $"unseated2@{domain}")));
        var deleted = await Tenants.DeleteTenantAsync(new DeleteTenantRequest { Name = tenant });
        var done = (await fixture.Server.Operations(fixture.Tokens.Reader(_partner)).WatchToEndAsync(deleted.Operation.Name))[^1];
        Assert.True(Operation.Types.State.Succeeded == done.State, done.Error?.Message);
        Assert.Equal(0, fixture.Emulator.State.Tenants[tenantId].ConsumedUnits(TestEmulator.RemoteAssistSku));
    }

    [Fact]
    public async Task Deleting_an_account_that_adopted_a_customer_user_keeps_the_user_enabled_with_the_licences_it_had()
    {
        var (tenant, tenantId, domain) = await AccountTenants.ActiveAsync(fixture, _partner);
        var upn = $"globaladmin@{domain}";
        var userId = await AccountTenants.AddCustomerUserAsync(fixture, tenantId, upn, TestEmulator.E5Sku);

        var adopted = (await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "adopted", upn, barrierLicense: true))).ServiceAccount;
        Assert.Equal(ServiceAccount.Types.State.Active, adopted.State);
        Assert.Equal(userId, adopted.DirectoryUserId);
        var emulated = fixture.Emulator.State.Tenants[tenantId];
        Assert.Equal([TestEmulator.E5Sku, TestEmulator.RemoteAssistSku], AccountTenants.Skus(emulated.FindUser(userId)!).Order());

        await Accounts.DeleteServiceAccountAsync(new DeleteServiceAccountRequest { Name = adopted.Name });

        var user = emulated.FindUser(userId)!;
        Assert.True((bool)user["accountEnabled"]!);
        // The Remote Assist licence the service assigned is gone; the E5 licence the customer had stays.
        Assert.Equal([TestEmulator.E5Sku], AccountTenants.Skus(user));
    }

    [Fact]
    public async Task Offboarding_leaves_an_adopted_user_enabled_with_the_licences_it_had()
    {
        var (tenant, tenantId, domain) = await AccountTenants.ActiveAsync(fixture, _partner);
        var userId = await AccountTenants.AddCustomerUserAsync(fixture, tenantId, $"ops@{domain}", TestEmulator.RemoteAssistSku);
        var adopted = (await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "adopted", $"ops@{domain}"))).ServiceAccount;
        var made = (await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "made", $"made@{domain}"))).ServiceAccount;
        Assert.Equal(userId, adopted.DirectoryUserId);

        var deleted = await Tenants.DeleteTenantAsync(new DeleteTenantRequest { Name = tenant });
        var done = (await fixture.Server.Operations(fixture.Tokens.Reader(_partner)).WatchToEndAsync(deleted.Operation.Name))[^1];
        Assert.True(Operation.Types.State.Succeeded == done.State, done.Error?.Message);

        var emulated = fixture.Emulator.State.Tenants[tenantId];
        var customers = emulated.FindUser(userId)!;
        Assert.True((bool)customers["accountEnabled"]!);
        Assert.Equal([TestEmulator.RemoteAssistSku], AccountTenants.Skus(customers));
        var ours = emulated.FindUser(made.DirectoryUserId)!;
        Assert.False((bool)ours["accountEnabled"]!);
        Assert.Empty(AccountTenants.Skus(ours));
    }
}
