using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// Claims that expire, and tenants the operator pre-approved, on a host of their own with those settings. Expiry on the
/// grains' clock (nothing happens before the lifetime passes) is proved in Grains.Tests ClaimClockTests; here it is what
/// the API and the approval page show, with the shortest lifetime the settings allow.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ClaimExpiryTests(ServerFixture fixture)
{
    [Fact]
    public async Task A_claim_nobody_decides_expires_and_its_link_no_longer_works()
    {
        var partner = TestIds.NewPartner();
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        await using var host = await ServerInstance.StartAsync(fixture.Azurite, fixture.Emulator, fixture.Tokens, "expiry-" + Guid.NewGuid().ToString("N")[..8],
            new Dictionary<string, string?> { ["Ownership:ClaimLifetime"] = "00:00:01" });
        var tenants = new TenantService.TenantServiceClient(host.Unapproved(fixture.Tokens.Writer(partner)));
        var operations = new OperationService.OperationServiceClient(host.Unapproved(fixture.Tokens.Writer(partner)));

        var claim = await tenants.CreateTenantAsync(ReadyTenants.Create(tenantId));
        var expired = (await operations.WatchToEndAsync(claim.Operation.Name))[^1];

        Assert.Equal((Operation.Types.State.Failed, "APPROVAL_EXPIRED"), (expired.State, expired.Error.Reason));
        Assert.Empty(expired.ApprovalUri);
        await RpcAssert.Fails(StatusCode.NotFound, () => tenants.GetTenantAsync(new GetTenantRequest { Name = claim.Tenant.Name }));
        using var browser = new ApprovalBrowser(fixture.Emulator);
        Assert.Contains("expired", (await browser.OpenAsync(claim.Tenant.ApprovalUri)).Body);

        // Asking again gives a new claim and a new link.
        var again = await tenants.CreateTenantAsync(ReadyTenants.Create(tenantId));
        Assert.Equal(Tenant.Types.State.AwaitingApproval, again.Tenant.State);
        Assert.NotEqual(claim.Tenant.ApprovalUri, again.Tenant.ApprovalUri);
    }

    [Fact]
    public async Task An_operator_pre_approval_onboards_at_once_but_never_takes_a_tenant_from_its_owner()
    {
        var preApproved = TestIds.NewPartner();
        var free = await ReadyTenants.AddAsync(fixture.Emulator);
        var owned = await ReadyTenants.AddAsync(fixture.Emulator);
        await using var host = await ServerInstance.StartAsync(fixture.Azurite, fixture.Emulator, fixture.Tokens, "preapproved-" + Guid.NewGuid().ToString("N")[..8],
            new Dictionary<string, string?>
            {
                [$"Ownership:PreApproved:{preApproved}:0"] = free,
                [$"Ownership:PreApproved:{preApproved}:1"] = owned.ToUpperInvariant(),
            });
        var owner = TestIds.NewPartner();
        await host.Tenants(fixture.Tokens.Writer(owner)).CreateTenantAsync(ReadyTenants.Create(owned));
        var tenants = new TenantService.TenantServiceClient(host.Unapproved(fixture.Tokens.Writer(preApproved)));

        var onboarding = await tenants.CreateTenantAsync(ReadyTenants.Create(free));
        var waiting = await tenants.CreateTenantAsync(ReadyTenants.Create(owned));

        Assert.Equal(Tenant.Types.State.Onboarding, onboarding.Tenant.State);
        Assert.Equal(("await-approval", OperationStep.Types.State.Succeeded), (onboarding.Operation.Steps[0].Id, onboarding.Operation.Steps[0].State));
        Assert.Equal(Tenant.Types.State.AwaitingApproval, waiting.Tenant.State);
        Assert.NotEqual(Tenant.Types.State.AwaitingApproval, (await host.Tenants(fixture.Tokens.Reader(owner)).GetTenantAsync(new GetTenantRequest { Name = "tenants/" + owned })).Tenant.State);
        var approved = Assert.Single((await tenants.GetTenantAsync(new GetTenantRequest { Name = onboarding.Tenant.Name })).Tenant.OwnershipHistory, e => e.Kind == OwnershipEvent.Types.Kind.Approved);
        Assert.Empty(approved.AdminObjectId);
    }
}
