using Grpc.Core;
using Microsoft.Playwright;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RAOrchestrator.Web.Tests.Approval;

/// <summary>
/// The tenant approval pages in Chromium, as a customer's administrator meets them: the link a partner sent, the
/// emulator's Entra sign-in, and the outcome, with what the partner then sees over gRPC.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ApprovalPageTests(WebFixture fixture)
{
    [Fact]
    public async Task The_global_administrator_sees_the_partner_and_what_is_asked_signs_in_approves_and_the_partner_then_owns_the_tenant()
    {
        var flow = await new ApprovalFlow(fixture).ClaimAsync();
        await using var browser = await fixture.BrowserAsync();
        var page = browser.Page;

        await page.GotoAsync(flow.ApprovalUri);
        await Expect(page).ToHaveTitleAsync("Approve a partner · RAOrchestrator");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "A partner asks to manage your organization" })).ToBeVisibleAsync();
        var asked = page.Locator("dl");
        await Expect(asked).ToContainTextAsync(flow.Partner);
        await Expect(asked).ToContainTextAsync(flow.TenantId);
        await Expect(asked).ToContainTextAsync("Company ABC");
        await Expect(page.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(5);
        await Expect(page.GetByRole(AriaRole.Listitem).First).ToContainTextAsync("read your organization");
        await browser.ScreenshotAsync("approval-request");

        await flow.DecideAsync(page, flow.Admin);
        await browser.ScreenshotAsync("approval-approved");

        Assert.Equal(200, browser.LastDocument.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Partner approved" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"You ({flow.Admin}) approved {flow.Partner} to manage your organization.");
        var tenant = (await fixture.Host.Tenants(flow.Partner).GetTenantAsync(new GetTenantRequest { Name = flow.Claim.Tenant.Name })).Tenant;
        Assert.NotEqual(Tenant.Types.State.AwaitingApproval, tenant.State);
        Assert.Empty(tenant.ApprovalUri);
        var approved = Assert.Single(tenant.OwnershipHistory, e => e.Kind == OwnershipEvent.Types.Kind.Approved);
        Assert.Equal((flow.Partner, flow.Admin), (approved.PartnerId, approved.AdminUserPrincipalName));

        // The link is spent: opened again it says so, and offers no choice.
        await page.GotoAsync(flow.ApprovalUri);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This request is no longer waiting" })).ToBeVisibleAsync();
        await Expect(page.Locator(".outcome")).ToContainTextAsync("was approved");
        await Expect(page.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Declining_leaves_the_tenant_unowned()
    {
        var flow = await new ApprovalFlow(fixture).ClaimAsync();
        await using var browser = await fixture.BrowserAsync();

        await flow.DecideAsync(browser.Page, flow.Admin, approve: false);

        await Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Name = "Request declined" })).ToBeVisibleAsync();
        await Expect(browser.Page.GetByRole(AriaRole.Status)).ToContainTextAsync($"declined the request of {flow.Partner}. Nothing was changed in your organization.");
        var operation = (await fixture.Host.Operations(flow.Partner).GetOperationAsync(new GetOperationRequest { Name = flow.Claim.Operation.Name })).Operation;
        Assert.Equal((Operation.Types.State.Failed, "CLAIM_DECLINED"), (operation.State, operation.Error.Reason));
        var lookup = await Assert.ThrowsAsync<RpcException>(() => fixture.Host.Tenants(flow.Partner).GetTenantAsync(new GetTenantRequest { Name = flow.Claim.Tenant.Name }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task A_user_of_the_tenant_who_is_no_administrator_is_refused_in_a_clear_sentence_and_the_claim_still_waits()
    {
        var flow = await new ApprovalFlow(fixture).ClaimAsync();
        await using var browser = await fixture.BrowserAsync();

        await flow.DecideAsync(browser.Page, flow.Member);

        await browser.ScreenshotAsync("approval-refused-not-an-administrator");
        Assert.Equal(403, browser.LastDocument.Status);
        await Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Name = "Nothing was changed" })).ToBeVisibleAsync();
        await Expect(browser.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(
            "Only a Global Administrator or a Privileged Role Administrator of the organization can decide this request.");
        var tenant = (await fixture.Host.Tenants(flow.Partner).GetTenantAsync(new GetTenantRequest { Name = flow.Claim.Tenant.Name })).Tenant;
        Assert.Equal(Tenant.Types.State.AwaitingApproval, tenant.State);

        // The administrator can still decide from the same link.
        await browser.Page.GotoAsync(flow.ApprovalUri);
        await Expect(browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in and approve" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Cancelling_the_sign_in_changes_nothing_and_says_how_to_retry()
    {
        var flow = await new ApprovalFlow(fixture).ClaimAsync();
        await using var browser = await fixture.BrowserAsync();

        await flow.ChooseAsync(browser.Page, approve: true);
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Navigation.ArrivesAtAsync(browser.Page, fixture.Host.WebUrl.ToString());

        await Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign-in did not complete" })).ToBeVisibleAsync();
        await Expect(browser.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Nothing was changed; open the approval link again to retry.");
        var tenant = (await fixture.Host.Tenants(flow.Partner).GetTenantAsync(new GetTenantRequest { Name = flow.Claim.Tenant.Name })).Tenant;
        Assert.Equal(Tenant.Types.State.AwaitingApproval, tenant.State);
    }

    [Fact]
    public async Task An_unknown_link_shows_a_page_saying_it_is_not_valid()
    {
        var flow = await new ApprovalFlow(fixture).ClaimAsync();
        await using var browser = await fixture.BrowserAsync();

        var answer = await browser.Page.GotoAsync(flow.ApprovalUri[..^4] + "0000");

        Assert.Equal(404, answer!.Status);
        await Expect(browser.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("This approval link is not valid. Ask the partner for a new one.");
        await Expect(browser.Page.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_expired_link_shows_that_the_request_expired_and_offers_no_choice()
    {
        await using var host = await LoopbackHost.StartAsync(fixture.Azurite, fixture.Emulator, new Dictionary<string, string?> { ["Ownership:ClaimLifetime"] = "00:00:02" });
        var flow = await new ApprovalFlow(fixture).ClaimAsync(host);
        await WaitUntilDoneAsync(host.Operations(flow.Partner), flow.Claim.Operation.Name);
        await using var browser = await fixture.BrowserAsync();

        await browser.Page.GotoAsync(flow.ApprovalUri);

        await Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Name = "This request is no longer waiting" })).ToBeVisibleAsync();
        await Expect(browser.Page.Locator(".outcome")).ToContainTextAsync("was not decided in time and has expired.");
        await Expect(browser.Page.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
    }

    private static async Task WaitUntilDoneAsync(OperationService.OperationServiceClient operations, string name)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var watch = operations.WatchOperation(new WatchOperationRequest { Name = name }, cancellationToken: timeout.Token);
        while (await watch.ResponseStream.MoveNext(timeout.Token))
        {
        }
    }
}
