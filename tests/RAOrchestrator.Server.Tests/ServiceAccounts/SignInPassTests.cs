using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using static RAOrchestrator.Server.Tests.Infrastructure.SignInPasses;
using Delivery = RAOrchestrator.Contracts.V1.IssueSignInPassRequest.Types.Delivery;

namespace RAOrchestrator.Server.Tests;

/// <summary>IssueSignInPass over gRPC against the emulator: the pass returned once signs in as the account.</summary>
[Collection(ServerCollection.Name)]
public sealed class SignInPassTests(ServerFixture fixture)
{
    private readonly string _partner = TestIds.NewPartner();
    private ServiceAccountService.ServiceAccountServiceClient Accounts => new(fixture.Server.Invoker(fixture.Tokens.Writer(_partner)));

    [Fact]
    public async Task A_returned_pass_signs_in_as_the_account_a_retry_shows_it_no_more_and_a_new_pass_replaces_it()
    {
        var (tenant, tenantId, domain) = await AccountTenants.ActiveAsync(fixture, _partner);
        SetPolicy(fixture.Emulator, tenantId, enabled: true);
        var request = AccountTenants.Account(tenant, "expert", $"expert@{domain}");
        request.ServiceAccount.VendorContact = new VendorContact { Email = "Expert@Vendor.example", Phone = "+4915112345678" };
        var account = (await Accounts.CreateServiceAccountAsync(request)).ServiceAccount;
        Assert.Equal(("expert@vendor.example", "+4915112345678"), (account.VendorContact.Email, account.VendorContact.Phone));

        var issue = Issue(account.Name, TimeSpan.FromHours(2));
        var first = await Accounts.IssueSignInPassAsync(issue);
        Assert.Equal($"expert@{domain}", first.UserPrincipalName);
        Assert.NotEmpty(first.Pass);
        Assert.False(first.Replayed);
        Assert.Equal(TimeSpan.FromHours(2), first.ExpireTime.ToDateTimeOffset() - first.IssueTime.ToDateTimeOffset());
        Assert.True(SignsIn(fixture.Emulator, tenantId, first.UserPrincipalName, first.Pass));

        // The same request again: no second pass (the first still signs in) and no secret, only the first call's metadata.
        var retry = await Accounts.IssueSignInPassAsync(issue);
        Assert.Equal((string.Empty, true, first.ExpireTime, first.IssueTime), (retry.Pass, retry.Replayed, retry.ExpireTime, retry.IssueTime));
        Assert.Contains("not shown again", retry.Note, StringComparison.Ordinal);
        Assert.True(SignsIn(fixture.Emulator, tenantId, first.UserPrincipalName, first.Pass));

        var second = await Accounts.IssueSignInPassAsync(Issue(account.Name, null));
        Assert.NotEqual(first.Pass, second.Pass);
        Assert.False(SignsIn(fixture.Emulator, tenantId, first.UserPrincipalName, first.Pass));
        Assert.True(SignsIn(fixture.Emulator, tenantId, second.UserPrincipalName, second.Pass));

        var timeline = (await Accounts.GetServiceAccountAsync(new GetServiceAccountRequest { Name = account.Name })).ServiceAccount.SignInPasses;
        Assert.Equal([(true, true), (false, false)], timeline.Select(p => (p.Replaced, p.Expired)));
        Assert.All(timeline, p => Assert.Equal(Delivery.Return, p.Delivery));
        Assert.Equal(first.ExpireTime, timeline[0].ExpireTime);
    }

    [Fact]
    public async Task Issuing_is_refused_with_reasons_a_partner_can_act_on()
    {
        var (tenant, tenantId, domain) = await AccountTenants.ActiveAsync(fixture, _partner);
        var account = (await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "refused", $"refused@{domain}"))).ServiceAccount;

        var disabled = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => Accounts.IssueSignInPassAsync(Issue(account.Name, null)));
        Assert.Equal("TAP_POLICY_DISABLED", disabled.Reason());

        SetPolicy(fixture.Emulator, tenantId, enabled: true);
        var tooShort = await RpcAssert.Fails(StatusCode.InvalidArgument, () => Accounts.IssueSignInPassAsync(Issue(account.Name, TimeSpan.FromMinutes(5))));
        Assert.Equal(["lifetime"], tooShort.ViolatedFields());
        var beyondPolicy = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => Accounts.IssueSignInPassAsync(Issue(account.Name, TimeSpan.FromHours(10))));
        Assert.Equal("TAP_LIFETIME_OUT_OF_BOUNDS", beyondPolicy.Reason());
        Assert.Equal(["lifetime"], beyondPolicy.ViolatedFields());

        var reader = new ServiceAccountService.ServiceAccountServiceClient(fixture.Server.Invoker(fixture.Tokens.Reader(_partner)));
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => reader.IssueSignInPassAsync(Issue(account.Name, null)));
        var other = new ServiceAccountService.ServiceAccountServiceClient(fixture.Server.Invoker(fixture.Tokens.Writer(TestIds.NewPartner())));
        await RpcAssert.Fails(StatusCode.NotFound, () => other.IssueSignInPassAsync(Issue(account.Name, null)));
        await RpcAssert.Fails(StatusCode.NotFound, () => Accounts.IssueSignInPassAsync(Issue(tenant + "/serviceAccounts/nobody", null)));

        // None of the refusals issued a pass; the account's timeline is empty.
        Assert.Empty((await Accounts.GetServiceAccountAsync(new GetServiceAccountRequest { Name = account.Name })).ServiceAccount.SignInPasses);
        Assert.Empty(fixture.Emulator.State.Tenants[tenantId].TemporaryAccessPasses);
    }

    [Fact]
    public async Task A_vendor_contact_is_validated_on_create_and_changed_only_when_the_mask_names_it()
    {
        var (tenant, _, domain) = await AccountTenants.ActiveAsync(fixture, _partner);
        var inTenant = AccountTenants.Account(tenant, "own-domain", $"own-domain@{domain}");
        inTenant.ServiceAccount.VendorContact = new VendorContact { Email = $"someone@{domain}", Phone = "0151 123" };
        var refused = await RpcAssert.Fails(StatusCode.InvalidArgument, () => Accounts.CreateServiceAccountAsync(inTenant));
        Assert.Equal(["service_account.vendor_contact.email", "service_account.vendor_contact.phone"], refused.ViolatedFields().Order());

        var account = (await Accounts.CreateServiceAccountAsync(AccountTenants.Account(tenant, "contact", $"contact@{domain}"))).ServiceAccount;
        Assert.Null(account.VendorContact);
        var update = new UpdateServiceAccountRequest
        {
            RequestId = TestIds.NewRequestId(),
            ServiceAccount = new ServiceAccount { Name = account.Name, UsageLocation = "DE", VendorContact = new VendorContact { Email = "expert@vendor.example" } },
            UpdateMask = new FieldMask { Paths = { "vendor_contact" } },
        };
        Assert.Equal("expert@vendor.example", (await Accounts.UpdateServiceAccountAsync(update)).ServiceAccount.VendorContact.Email);

        // Without a mask, usage_location and attributes change and the vendor contact stays.
        update.RequestId = TestIds.NewRequestId();
        update.UpdateMask = null;
        update.ServiceAccount.VendorContact = null;
        update.ServiceAccount.Attributes.Add("companyName", "OEM Ltd");
        Assert.Equal("expert@vendor.example", (await Accounts.UpdateServiceAccountAsync(update)).ServiceAccount.VendorContact.Email);
    }
}
