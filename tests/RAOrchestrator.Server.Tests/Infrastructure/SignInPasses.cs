using Google.Protobuf.WellKnownTypes;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator.SignIn;
using RAOrchestrator.GraphEmulator.State;
using Delivery = RAOrchestrator.Contracts.V1.IssueSignInPassRequest.Types.Delivery;

namespace RAOrchestrator.Server.Tests.Infrastructure;

/// <summary>Sign-in pass requests, a tenant's pass policy in the emulator, and whether a pass signs in there.</summary>
public static class SignInPasses
{
    public static IssueSignInPassRequest Issue(string name, TimeSpan? lifetime) => new()
    {
        Name = name,
        RequestId = TestIds.NewRequestId(),
        Lifetime = lifetime is { } given ? Duration.FromTimeSpan(given) : null,
        Delivery = Delivery.Return,
    };

    /// <summary>A pass mailed to the vendor contact (the default delivery), with the policy's lifetime.</summary>
    public static IssueSignInPassRequest Mail(string name) => new() { Name = name, RequestId = TestIds.NewRequestId() };

    /// <summary>
    /// A tenant ready to mail passes (<see cref="PassMailTenants.AddAsync"/>), onboarded by <paramref name="partner"/>,
    /// with its sender mailbox set (unless <paramref name="sender"/> is empty); and an account with a vendor contact.
    /// </summary>
    public static async Task<(string Tenant, string TenantId, ServiceAccount Account)> MailingAccountAsync(
        ServerFixture fixture, string partner, IReadOnlyList<string>? grants = null, string? sender = null, string contact = "erin@vendor.example")
    {
        var tenantId = await PassMailTenants.AddAsync(fixture.Emulator, grants);
        var tenants = fixture.Server.Tenants(fixture.Tokens.Writer(partner));
        var created = await tenants.CreateTenantAsync(ReadyTenants.Create(tenantId));
        await fixture.Server.Operations(fixture.Tokens.Reader(partner)).WatchToEndAsync(created.Operation.Name);
        sender ??= PassMailTenants.Sender(tenantId);
        if (sender.Length > 0)
        {
            await tenants.UpdateTenantAsync(new UpdateTenantRequest
            {
                RequestId = TestIds.NewRequestId(),
                Tenant = new Tenant { Name = created.Tenant.Name, MailSender = sender },
                UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "mail_sender" } },
            });
        }

        var request = AccountTenants.Account(created.Tenant.Name, "expert", $"expert@{TestEmulator.DefaultDomain(tenantId)}");
        request.ServiceAccount.VendorContact = contact.Length == 0 ? null : new VendorContact { Email = contact };
        var accounts = new ServiceAccountService.ServiceAccountServiceClient(fixture.Server.Invoker(fixture.Tokens.Writer(partner)));
        return (created.Tenant.Name, tenantId, (await accounts.CreateServiceAccountAsync(request)).ServiceAccount);
    }

    /// <summary>The tenant's Temporary Access Pass policy in the emulator: 60 to 480 minutes, reusable, <paramref name="length"/> characters.</summary>
    public static void SetPolicy(GraphEmulator.GraphEmulatorServer emulator, string tenantId, bool enabled, int length = 8)
    {
        lock (emulator.State.Sync)
        {
            emulator.State.Tenants[tenantId].TemporaryAccessPassPolicy = new TemporaryAccessPassPolicyData
            {
                State = enabled ? "enabled" : "disabled",
                DefaultLength = length,
            };
        }
    }

    /// <summary>Whether the emulator's sign-in page takes <paramref name="pass"/> as the user's password (the check its form POST runs).</summary>
    public static bool SignsIn(GraphEmulator.GraphEmulatorServer emulator, string tenantId, string upn, string pass) =>
        UserCredentials.Check(emulator.State, emulator.State.Tenants[tenantId], upn, pass, emulator.Options).User is not null;
}
