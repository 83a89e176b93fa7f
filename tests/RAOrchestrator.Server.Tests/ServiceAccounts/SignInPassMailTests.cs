using System.Net;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using static RAOrchestrator.Server.Tests.Infrastructure.SignInPasses;
using Delivery = RAOrchestrator.Contracts.V1.IssueSignInPassRequest.Types.Delivery;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// A pass mailed to the vendor contact, over gRPC and the pass page: the link mail (no pass in it), the code mail, the
/// pass shown once, the account's timeline; and the refusals a partner can act on.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SignInPassMailTests(ServerFixture fixture)
{
    private const string Contact = "erin@vendor.example";
    private readonly string _partner = TestIds.NewPartner();

    private ServiceAccountService.ServiceAccountServiceClient Accounts => new(fixture.Server.Invoker(fixture.Tokens.Writer(_partner)));

    [Fact]
    public async Task A_mailed_pass_is_shown_once_after_the_mailed_code_signs_in_and_the_timeline_records_mailed_and_viewed()
    {
        var (_, tenantId, account) = await MailingAccountAsync(fixture, _partner);
        var issue = Mail(account.Name);

        var mailed = await Accounts.IssueSignInPassAsync(issue);
        Assert.Equal((Delivery.Mail, string.Empty, false), (mailed.Delivery, mailed.Pass, mailed.Replayed));
        var linkMail = Assert.Single(PassMailTenants.MailsTo(fixture.Emulator, tenantId, Contact));
        Assert.Equal((PassMailTenants.Sender(tenantId), false), (linkMail.Sender, linkMail.SaveToSentItems));
        var link = PassMailTenants.LinkIn(linkMail);
        Assert.StartsWith(fixture.Server.WebUrl + "sign-in-pass#", link, StringComparison.Ordinal);
        Assert.Contains(account.UserPrincipalName, linkMail.Content, StringComparison.Ordinal);

        // A retry of the same request mails nothing more.
        Assert.True((await Accounts.IssueSignInPassAsync(issue)).Replayed);
        Assert.Single(PassMailTenants.MailsTo(fixture.Emulator, tenantId, Contact));

        using var page = new PassPageClient(fixture.Server.WebUrl);
        Assert.Equal(HttpStatusCode.OK, (await page.OpenAsync()).StatusCode);
        var asked = await page.AskCodeAsync(PassPageClient.SecretOf(link));
        Assert.Equal((HttpStatusCode.SeeOther, "/sign-in-pass/confirm"), (asked.StatusCode, asked.Headers.Location?.ToString()));
        var code = PassMailTenants.LatestCode(fixture.Emulator, tenantId, Contact);
        Assert.DoesNotContain(code, link, StringComparison.Ordinal);

        var wrong = await page.ConfirmAsync(code == "000000" ? "000001" : "000000");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("2 tries left", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var shown = await page.ConfirmAsync(code);
        var html = await shown.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        var pass = PassPageClient.PassIn(html);
        Assert.NotNull(pass);
        Assert.Contains(account.UserPrincipalName, html, StringComparison.Ordinal);
        Assert.True(SignsIn(fixture.Emulator, tenantId, account.UserPrincipalName, pass));
        Assert.All(PassMailTenants.MailsTo(fixture.Emulator, tenantId, Contact), m => Assert.DoesNotContain(pass, m.Content, StringComparison.Ordinal));

        // Shown once: the same page again, and the link opened anew, say so.
        Assert.Null(PassPageClient.PassIn(await (await page.ConfirmAsync(code)).Content.ReadAsStringAsync()));
        using var again = new PassPageClient(fixture.Server.WebUrl);
        await again.OpenAsync();
        var second = await again.AskCodeAsync(PassPageClient.SecretOf(link));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("already shown", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var record = Assert.Single((await Accounts.GetServiceAccountAsync(new GetServiceAccountRequest { Name = account.Name })).ServiceAccount.SignInPasses);
        Assert.Equal(Delivery.Mail, record.Delivery);
        Assert.NotNull(record.MailTime);
        Assert.NotNull(record.ViewTime);
        Assert.True(record.ViewTime.ToDateTimeOffset() >= record.MailTime.ToDateTimeOffset());
    }

    [Fact]
    public async Task A_newer_pass_ends_the_waiting_link_and_deleting_the_account_withdraws_the_next_and_its_pass()
    {
        var (_, tenantId, account) = await MailingAccountAsync(fixture, _partner);
        await Accounts.IssueSignInPassAsync(Mail(account.Name));
        var first = PassMailTenants.LatestLink(fixture.Emulator, tenantId, Contact);
        await Accounts.IssueSignInPassAsync(Mail(account.Name));
        var second = PassMailTenants.LatestLink(fixture.Emulator, tenantId, Contact);
        Assert.NotEqual(first, second);

        using var page = new PassPageClient(fixture.Server.WebUrl);
        await page.OpenAsync();
        var replaced = await page.AskCodeAsync(PassPageClient.SecretOf(first));
        Assert.Equal(HttpStatusCode.Conflict, replaced.StatusCode);
        Assert.Contains("A newer pass replaced this one", await replaced.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await Accounts.DeleteServiceAccountAsync(new DeleteServiceAccountRequest { Name = account.Name, RequestId = TestIds.NewRequestId() });
        var withdrawn = await page.AskCodeAsync(PassPageClient.SecretOf(second));
        Assert.Equal(HttpStatusCode.Conflict, withdrawn.StatusCode);
        Assert.Contains("withdrawn", await withdrawn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(fixture.Emulator.State.Tenants[tenantId].TemporaryAccessPasses);
    }

    [Fact]
    public async Task Mailing_is_refused_with_reasons_a_partner_can_act_on_and_leaves_no_pass_behind()
    {
        var (tenant, tenantId, noContact) = await MailingAccountAsync(fixture, _partner, contact: string.Empty);
        var missing = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => Accounts.IssueSignInPassAsync(Mail(noContact.Name)));
        Assert.Equal("VENDOR_CONTACT_MISSING", missing.Reason());
        Assert.Equal(["vendor_contact"], missing.ViolatedFields());

        var tenants = fixture.Server.Tenants(fixture.Tokens.Writer(_partner));
        var outside = await RpcAssert.Fails(StatusCode.InvalidArgument, () => tenants.UpdateTenantAsync(SenderUpdate(tenant, "noreply@elsewhere.example")));
        Assert.Equal(["tenant.mail_sender"], outside.ViolatedFields());

        // A sender in the tenant's domain without a mailbox: Graph refuses the mail, and the pass made for it is deleted.
        await tenants.UpdateTenantAsync(SenderUpdate(tenant, $"nobody@{TestEmulator.DefaultDomain(tenantId)}"));
        var account = (await Accounts.UpdateServiceAccountAsync(new UpdateServiceAccountRequest
        {
            RequestId = TestIds.NewRequestId(),
            ServiceAccount = new ServiceAccount { Name = noContact.Name, VendorContact = new VendorContact { Email = Contact } },
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "vendor_contact" } },
        })).ServiceAccount;
        var notFound = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => Accounts.IssueSignInPassAsync(Mail(account.Name)));
        Assert.Equal("MAIL_SENDER_NOT_FOUND", notFound.Reason());
        Assert.Empty(fixture.Emulator.State.Tenants[tenantId].TemporaryAccessPasses);
        Assert.Empty((await Accounts.GetServiceAccountAsync(new GetServiceAccountRequest { Name = account.Name })).ServiceAccount.SignInPasses);

        // Cleared: no sender at all.
        await tenants.UpdateTenantAsync(SenderUpdate(tenant, string.Empty));
        var unset = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => Accounts.IssueSignInPassAsync(Mail(account.Name)));
        Assert.Equal("MAIL_SENDER_NOT_SET", unset.Reason());
        Assert.Equal(["mail_sender"], unset.ViolatedFields());

        // Without Mail.Send the mail is refused by Graph.
        var (_, ungrantedTenant, ungranted) = await MailingAccountAsync(fixture, _partner, grants: [.. GraphEmulator.Tokens.TokenIssuer.GraphRoles]);
        var denied = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => Accounts.IssueSignInPassAsync(Mail(ungranted.Name)));
        Assert.Equal("GRAPH_PERMISSION_DENIED", denied.Reason());
        Assert.Contains("Mail.Send", denied.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(fixture.Emulator.State.Tenants[ungrantedTenant].TemporaryAccessPasses);

        var other = new ServiceAccountService.ServiceAccountServiceClient(fixture.Server.Invoker(fixture.Tokens.Writer(TestIds.NewPartner())));
        await RpcAssert.Fails(StatusCode.NotFound, () => other.IssueSignInPassAsync(Mail(account.Name)));
        Assert.Empty(PassMailTenants.MailsTo(fixture.Emulator, tenantId, Contact));
    }

    private static UpdateTenantRequest SenderUpdate(string tenant, string sender) => new()
    {
        RequestId = TestIds.NewRequestId(),
        Tenant = new Tenant { Name = tenant, MailSender = sender },
        UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "mail_sender" } },
    };
}
