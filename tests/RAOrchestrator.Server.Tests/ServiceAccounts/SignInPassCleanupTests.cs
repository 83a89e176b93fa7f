using System.Text.Json.Nodes;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// Deleting a service account, or offboarding its tenant, deletes the Temporary Access Passes of a user the service
/// created, so no vendor keeps a way in; a deletion that failed half-way is finished by its retry.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SignInPassCleanupTests(ServerFixture fixture)
{
    private static readonly JsonObject EnabledPolicy = new() { ["state"] = "enabled", ["includeTargets"] = new JsonArray("all_users") };

    private readonly string _partner = TestIds.NewPartner();
    private ServiceAccountService.ServiceAccountServiceClient Accounts => new(fixture.Server.Invoker(fixture.Tokens.Writer(_partner)));

    [Fact]
    public async Task Deleting_an_account_deletes_its_pass_and_a_retry_after_a_failure_half_way_finishes()
    {
        var (tenant, tenantId, domain) = await AccountTenants.ActiveAsync(fixture, _partner, passPolicy: (JsonObject)EnabledPolicy.DeepClone());
        var account = (await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "expert", $"expert@{domain}"))).ServiceAccount;
        await IssuePassAsync(tenantId, account.DirectoryUserId);

        // The passes go, then Graph refuses to disable the user once: the delete fails after the pass step.
        var delete = new DeleteServiceAccountRequest { Name = account.Name, RequestId = TestIds.NewRequestId() };
        fixture.Emulator.State.Faults.Refuse(new RefusalFault("PATCH /users/{id}"));
        try
        {
            await Assert.ThrowsAnyAsync<RpcException>(() => Accounts.DeleteServiceAccountAsync(delete).ResponseAsync);
        }
        finally
        {
            fixture.Emulator.State.Faults.ClearRefusals();
        }

        Assert.False(HasPass(tenantId, account.DirectoryUserId));
        await Accounts.DeleteServiceAccountAsync(delete);

        Assert.False(HasPass(tenantId, account.DirectoryUserId));
        Assert.False((bool)fixture.Emulator.State.Tenants[tenantId].FindUser(account.DirectoryUserId)!["accountEnabled"]!);
    }

    [Fact]
    public async Task Offboarding_deletes_the_passes_of_the_accounts_it_created_but_not_of_the_customers_own_users()
    {
        var (tenant, tenantId, domain) = await AccountTenants.ActiveAsync(fixture, _partner, passPolicy: (JsonObject)EnabledPolicy.DeepClone());
        var ours = (await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "ours", $"ours@{domain}"))).ServiceAccount;
        var ownId = await AccountTenants.AddCustomerUserAsync(fixture, tenantId, $"own@{domain}");
        var adopted = (await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "own", $"own@{domain}"))).ServiceAccount;
        Assert.Equal(ownId, adopted.DirectoryUserId);
        await IssuePassAsync(tenantId, ours.DirectoryUserId);
        await IssuePassAsync(tenantId, ownId);

        var deleted = await fixture.Server.Tenants(fixture.Tokens.Writer(_partner)).DeleteTenantAsync(new DeleteTenantRequest { Name = tenant });
        var done = (await fixture.Server.Operations(fixture.Tokens.Reader(_partner)).WatchToEndAsync(deleted.Operation.Name))[^1];

        Assert.True(Operation.Types.State.Succeeded == done.State, done.Error?.Message);
        Assert.False(HasPass(tenantId, ours.DirectoryUserId));
        Assert.True(HasPass(tenantId, ownId));
    }

    [Fact]
    public async Task An_account_deletes_in_a_tenant_that_never_granted_the_pass_permission()
    {
        var (tenant, tenantId, domain) = await AccountTenants.ActiveAsync(fixture, _partner,
            appPermissions: ["User.ReadWrite.All", "Directory.ReadWrite.All", "Organization.Read.All", "OnlineMeetings.ReadWrite.All", "Policy.Read.All"]);
        var account = (await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "nopass", $"nopass@{domain}"))).ServiceAccount;

        await Accounts.DeleteServiceAccountAsync(new DeleteServiceAccountRequest { Name = account.Name });

        Assert.False((bool)fixture.Emulator.State.Tenants[tenantId].FindUser(account.DirectoryUserId)!["accountEnabled"]!);
    }

    /// <summary>Creates a pass through the emulator's Graph endpoint, as the issuing API will.</summary>
    private async Task IssuePassAsync(string tenantId, string userId)
    {
        var graph = fixture.Emulator.CreateGraphClient(tenantId, TestEmulator.AppId, TestEmulator.AppSecret);
        await graph.Users[userId].Authentication.TemporaryAccessPassMethods.PostAsync(new Microsoft.Graph.Models.TemporaryAccessPassAuthenticationMethod { LifetimeInMinutes = 60 });
        Assert.True(HasPass(tenantId, userId));
    }

    private bool HasPass(string tenantId, string userId)
    {
        lock (fixture.Emulator.State.Sync)
        {
            return fixture.Emulator.State.Tenants[tenantId].TemporaryAccessPasses.ContainsKey(userId);
        }
    }
}
