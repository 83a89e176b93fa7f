using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using static RAOrchestrator.Server.Tests.Infrastructure.SessionWorld;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// Partner B tries to learn about partner A's customer through federated invitations: whether it is onboarded,
/// whether a user exists, a user's name. Nothing of another tenant's directory is read before both tenants are
/// onboarded and allow each other, and every refusal reads the same.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class FederationPrivacyTests(ServerFixture fixture)
{
    [Fact]
    public async Task Another_partners_customer_is_neither_read_nor_described_until_both_tenants_allow_each_other()
    {
        var a = new SessionWorld(fixture, TestIds.NewPartner());
        var customerOfA = await a.TenantAsync();
        var secret = await a.AddUserAsync(customerOfA, "secret.engineer", "Sally Secret", licensed: true);
        var notOnboarded = await ReadyTenants.AddAsync(fixture.Emulator);
        var strangerOfNotOnboarded = await TestEmulator.AddUserAsync(fixture.Emulator, notOnboarded, "someone", "Sam Someone", licensed: true);

        var b = new SessionWorld(fixture, TestIds.NewPartner());
        var customerOfB = await b.TenantAsync(anonymousJoin: true, customerOfA.TenantId, notOnboarded);
        var readsBefore = DirectoryReads(customerOfA.TenantId);

        var existing = await RefusalAsync(b, customerOfB, Federated(customerOfA.TenantId, secret));
        var missing = await RefusalAsync(b, customerOfB, Federated(customerOfA.TenantId, Guid.NewGuid().ToString()));
        var elsewhere = await RefusalAsync(b, customerOfB, Federated(notOnboarded, strangerOfNotOnboarded));

        Assert.All([existing, missing, elsewhere], r => Assert.Equal((StatusCode.PermissionDenied, "EXTERNAL_ACCESS_BLOCKED"), (r.StatusCode, r.Reason())));
        Assert.Equal(Anonymised(existing, customerOfA.TenantId, secret), Anonymised(missing, customerOfA.TenantId, null));
        Assert.Equal(Anonymised(existing, customerOfA.TenantId, secret), Anonymised(elsewhere, notOnboarded, strangerOfNotOnboarded));
        Assert.All([existing, missing, elsewhere], r =>
        {
            Assert.DoesNotContain("Sally", r.Status.Detail, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("secret.engineer", r.Status.Detail, StringComparison.OrdinalIgnoreCase);
        });
        Assert.Equal(readsBefore, DirectoryReads(customerOfA.TenantId));

        // Once A's customer allows B's too, the same invitation is read and scheduled.
        await a.Tenants.UpdateTenantAsync(new UpdateTenantRequest
        {
            Tenant = new Tenant { Name = customerOfA.Name, ExternalAccessAllowedTenants = { customerOfB.TenantId } },
            UpdateMask = new() { Paths = { "external_access_allowed_tenants" } },
        });
        var session = (await b.Sessions.CreateSessionAsync(Schedule(customerOfB, customerOfB.Technician, Federated(customerOfA.TenantId, secret)))).Session;
        Assert.Contains(session.Invitations, i => i.Person.FederatedUser?.UserId == secret);
        Assert.True(DirectoryReads(customerOfA.TenantId) > readsBefore);
    }

    private static async Task<RpcException> RefusalAsync(SessionWorld world, OnboardedTenant tenant, Person invitee) =>
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => world.Sessions.CreateSessionAsync(Schedule(tenant, tenant.Technician, invitee)));

    private static string Anonymised(RpcException refusal, string tenantId, string? userId)
    {
        var text = refusal.Status.Detail.Replace(tenantId, "T", StringComparison.Ordinal);
        return userId is null ? text : text.Replace(userId, "U", StringComparison.Ordinal);
    }

    private int DirectoryReads(string tenantId) => fixture.Emulator.State.Requests.Snapshot()
        .Count(r => string.Equals(r.Tenant, tenantId, StringComparison.OrdinalIgnoreCase) && r.Endpoint.Contains("users", StringComparison.OrdinalIgnoreCase));
}
