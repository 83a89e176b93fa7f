using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class ServiceAccountTests(ServerFixture fixture)
{
    private readonly string _partner = TestIds.NewPartner();
    private ServiceAccountService.ServiceAccountServiceClient Accounts => new(fixture.Server.Invoker(fixture.Tokens.Writer(_partner)));

    [Fact]
    public async Task With_fifty_free_seats_a_hundred_concurrent_requests_give_exactly_fifty_accounts()
    {
        var (tenant, tenantId, domain) = await ActiveTenantAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            try
            {
                var created = await Accounts.CreateServiceAccountAsync(Request(tenant, $"vendor-{i}", domain));
                return created.ServiceAccount.State.ToString();
            }
            catch (RpcException ex)
            {
                return $"{ex.StatusCode}:{ex.Reason()}";
            }
        }));

        Assert.Equal(50, outcomes.Count(o => o == "Active"));
        Assert.Equal(50, outcomes.Count(o => o == "ResourceExhausted:NO_SEATS_AVAILABLE"));
        var emulated = fixture.Emulator.State.Tenants[tenantId];
        Assert.Equal(50, emulated.ConsumedUnits(TestEmulator.RemoteAssistSku));
        // A refused account never touches the directory: seats are reserved before the user is created.
        Assert.Equal(50, emulated.Users.Count(u => ((string?)u["userPrincipalName"])!.StartsWith("vendor-", StringComparison.Ordinal)));

        var summary = await Accounts.GetLicenseSummaryAsync(new GetLicenseSummaryRequest { Parent = tenant, Refresh = true });
        var remoteAssist = Assert.Single(summary.Skus, s => s.SkuId == TestEmulator.RemoteAssistSku.ToString());
        Assert.Equal((50, 50, 0, 0), (remoteAssist.Enabled, remoteAssist.Consumed, remoteAssist.Reserved, remoteAssist.Available));
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_what_is_wrong_and_nothing_is_created()
    {
        var (tenant, tenantId, domain) = await ActiveTenantAsync();
        var users = fixture.Emulator.State.Tenants[tenantId].Users.Count;

        var badUpn = Request(tenant, "bad-upn", domain);
        badUpn.ServiceAccount.UserPrincipalName = "not an upn";
        Assert.Equal(["service_account.user_principal_name"], (await RpcAssert.Fails(StatusCode.InvalidArgument, () => Accounts.CreateServiceAccountAsync(badUpn))).ViolatedFields());

        var noLocation = Request(tenant, "no-location", domain);
        noLocation.ServiceAccount.UsageLocation = string.Empty;
        Assert.Equal(["service_account.usage_location"], (await RpcAssert.Fails(StatusCode.InvalidArgument, () => Accounts.CreateServiceAccountAsync(noLocation))).ViolatedFields());

        var foreignDomain = Request(tenant, "foreign", "contoso.com");
        var outside = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => Accounts.CreateServiceAccountAsync(foreignDomain));
        Assert.Equal("UPN_DOMAIN_NOT_VERIFIED", outside.Reason());
        Assert.Equal(["service_account.user_principal_name"], outside.ViolatedFields());

        var tenants = fixture.Server.Tenants(fixture.Tokens.Writer(_partner));
        var current = (await tenants.GetTenantAsync(new GetTenantRequest { Name = tenant })).Tenant;
        await tenants.UpdateTenantAsync(new UpdateTenantRequest
        {
            Tenant = new Tenant { Name = tenant, LicensePlan = new LicensePlan { RemoteAssistSkuId = Guid.NewGuid().ToString() } },
            UpdateMask = new() { Paths = { "license_plan" } },
        });
        var unknownSku = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => Accounts.CreateServiceAccountAsync(Request(tenant, "unknown-sku", domain)));
        Assert.Equal("SKU_NOT_FOUND", unknownSku.Reason());

        Assert.Equal(users, fixture.Emulator.State.Tenants[tenantId].Users.Count);
        Assert.NotNull(current);
    }

    [Fact]
    public async Task Deleting_an_account_removes_its_licences_disables_the_user_and_frees_the_seat()
    {
        var (tenant, tenantId, domain) = await ActiveTenantAsync();
        var created = (await Accounts.CreateServiceAccountAsync(Request(tenant, "leaving", domain, barrierLicense: true))).ServiceAccount;
        Assert.Equal(ServiceAccount.Types.State.Active, created.State);
        Assert.Equal(2, created.SkuIds.Count);
        var again = (await Accounts.GetServiceAccountAsync(new GetServiceAccountRequest { Name = created.Name })).ServiceAccount;
        Assert.Equal(created.DirectoryUserId, again.DirectoryUserId);
        Assert.Single((await Accounts.ListServiceAccountsAsync(new ListServiceAccountsRequest { Parent = tenant })).ServiceAccounts);

        await Accounts.DeleteServiceAccountAsync(new DeleteServiceAccountRequest { Name = created.Name });

        var emulated = fixture.Emulator.State.Tenants[tenantId];
        var user = emulated.FindUser(created.DirectoryUserId)!;
        Assert.False((bool)user["accountEnabled"]!);
        Assert.Equal(0, emulated.ConsumedUnits(TestEmulator.RemoteAssistSku));
        await RpcAssert.Fails(StatusCode.NotFound, () => Accounts.GetServiceAccountAsync(new GetServiceAccountRequest { Name = created.Name }));
        var summary = await Accounts.GetLicenseSummaryAsync(new GetLicenseSummaryRequest { Parent = tenant, Refresh = true });
        Assert.Equal(50, summary.Skus.Single(s => s.SkuId == TestEmulator.RemoteAssistSku.ToString()).Available);
    }

    [Fact]
    public async Task Offboarding_the_tenant_removes_the_licences_it_assigned_and_disables_the_accounts_it_created()
    {
        var (tenant, tenantId, domain) = await ActiveTenantAsync();
        var accounts = await Task.WhenAll(Enumerable.Range(0, 3).Select(async i => (await Accounts.CreateServiceAccountAsync(Request(tenant, $"offboard-{i}", domain))).ServiceAccount));
        var tenants = fixture.Server.Tenants(fixture.Tokens.Writer(_partner));

        var deleted = await tenants.DeleteTenantAsync(new DeleteTenantRequest { Name = tenant });
        var done = (await fixture.Server.Operations(fixture.Tokens.Reader(_partner)).WatchToEndAsync(deleted.Operation.Name))[^1];

        Assert.Equal(Operation.Types.State.Succeeded, done.State);
        Assert.Equal(OperationStep.Types.State.Succeeded, done.Steps.Single(s => s.Id == "deprovision-service-accounts").State);
        var emulated = fixture.Emulator.State.Tenants[tenantId];
        Assert.Equal(0, emulated.ConsumedUnits(TestEmulator.RemoteAssistSku));
        Assert.All(accounts, a => Assert.False((bool)emulated.FindUser(a.DirectoryUserId)!["accountEnabled"]!));
        await RpcAssert.Fails(StatusCode.NotFound, () => tenants.GetTenantAsync(new GetTenantRequest { Name = tenant }));
    }

    [Fact]
    public async Task Another_partner_cannot_see_or_create_service_accounts_in_the_tenant()
    {
        var (tenant, _, domain) = await ActiveTenantAsync();
        var created = (await Accounts.CreateServiceAccountAsync(Request(tenant, "mine", domain))).ServiceAccount;
        var other = new ServiceAccountService.ServiceAccountServiceClient(fixture.Server.Invoker(fixture.Tokens.Writer(TestIds.NewPartner())));

        await RpcAssert.Fails(StatusCode.NotFound, () => other.GetServiceAccountAsync(new GetServiceAccountRequest { Name = created.Name }));
        await RpcAssert.Fails(StatusCode.NotFound, () => other.CreateServiceAccountAsync(Request(tenant, "theirs", domain)));
        await RpcAssert.Fails(StatusCode.NotFound, () => other.GetLicenseSummaryAsync(new GetLicenseSummaryRequest { Parent = tenant }));
    }

    private async Task<(string Name, string TenantId, string Domain)> ActiveTenantAsync()
    {
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var created = await fixture.Server.Tenants(fixture.Tokens.Writer(_partner)).CreateTenantAsync(ReadyTenants.Create(tenantId));
        await fixture.Server.Operations(fixture.Tokens.Reader(_partner)).WatchToEndAsync(created.Operation.Name);
        return (created.Tenant.Name, tenantId, $"t{tenantId[..8]}.example");
    }

    private static CreateServiceAccountRequest Request(string tenant, string id, string domain, bool barrierLicense = false) => new()
    {
        RequestId = TestIds.NewRequestId(),
        Parent = tenant,
        ServiceAccountId = id,
        ServiceAccount = new ServiceAccount
        {
            DisplayName = "OEM vendor " + id,
            UserPrincipalName = $"{id}@{domain}",
            UsageLocation = "DE",
            Attributes = { ["companyName"] = "OEM Ltd", ["department"] = "Vendors" },
            BarrierLicense = barrierLicense,
        },
    };
}
