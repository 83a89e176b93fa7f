using Grpc.Core;
using Microsoft.Playwright;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator.SignIn;
using RAOrchestrator.Testing;
using RAOrchestrator.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RAOrchestrator.Web.Tests.Passes;

/// <summary>The vendor's expert, in a real browser, from the mailed link to signing in as the service account with the pass.</summary>
[Collection(WebCollection.Name)]
public sealed class PassPageTests(WebFixture fixture)
{
    private const string Contact = "erin@vendor.example";
    private readonly string _partner = "partner-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task The_expert_confirms_the_mailed_code_reads_the_pass_once_signs_in_with_it_and_a_new_pass_or_a_delete_ends_it()
    {
        var (tenantId, account) = await MailingAccountAsync();
        var accounts = fixture.Host.ServiceAccounts(_partner);
        await accounts.IssueSignInPassAsync(new IssueSignInPassRequest { Name = account.Name, RequestId = Guid.NewGuid().ToString("D") });
        var link = PassMailTenants.LatestLink(fixture.Emulator, tenantId, Contact);

        await using var browser = await fixture.BrowserAsync();
        var page = browser.Page;
        await page.GotoAsync(link);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your sign-in pass");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send me a confirmation code" }).ClickAsync();
        await Navigation.ArrivesAtAsync(page, new Uri(fixture.Host.WebUrl, "/sign-in-pass/confirm").ToString());
        await Expect(page.GetByText("We sent a six-digit code to er***@vendor.example")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("pass-confirm");

        await page.GetByLabel("Confirmation code").FillAsync(PassMailTenants.LatestCode(fixture.Emulator, tenantId, Contact));
        await page.GetByRole(AriaRole.Button, new() { Name = "Show my pass" }).ClickAsync();
        await Expect(page.Locator("#account")).ToHaveTextAsync(account.UserPrincipalName);
        var pass = (await page.Locator("#pass").TextContentAsync())!;
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in on HoloLens 2" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to the Remote Assist desktop app" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("pass-shown");
        // The link's secret never reached the server in an address: only the page itself was requested by URL.
        var secret = link[(link.IndexOf('#') + 1)..];
        Assert.DoesNotContain(browser.Requests, r => r.ToString().Contains(secret, StringComparison.Ordinal));
        Assert.All(browser.ConsoleErrors, e => Assert.StartsWith("Failed to load resource: the server responded with a status of 404", e)); // the favicon; no script or policy error

        // The expert signs in as the service account with the pass, at the emulator's Entra sign-in page.
        await page.GotoAsync(new Uri(fixture.Host.WebUrl, $"/console?tenant={tenantId}").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Navigation.ArrivesAtAsync(page, fixture.Emulator.BaseAddress.ToString());
        await EmulatorSignIn.SignInAsync(page, account.UserPrincipalName, pass);
        await Expect(page.GetByText("Signed in as")).ToContainTextAsync(account.UserPrincipalName);

        // A second visit of the link: already shown, and how to get a new one.
        await using var again = await fixture.BrowserAsync();
        await again.Page.GotoAsync(link);
        await again.Page.GetByRole(AriaRole.Button, new() { Name = "Send me a confirmation code" }).ClickAsync();
        await Expect(again.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This pass was already shown");
        await Expect(again.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("issue a new pass");
        await again.ScreenshotAsync("pass-already-shown");

        // A new pass makes the old one fail; deleting the account removes the new one.
        await accounts.IssueSignInPassAsync(new IssueSignInPassRequest { Name = account.Name, RequestId = Guid.NewGuid().ToString("D") });
        Assert.False(SignsIn(tenantId, account.UserPrincipalName, pass));
        Assert.Single(fixture.Emulator.State.Tenants[tenantId].TemporaryAccessPasses);
        await accounts.DeleteServiceAccountAsync(new DeleteServiceAccountRequest { Name = account.Name, RequestId = Guid.NewGuid().ToString("D") });
        Assert.Empty(fixture.Emulator.State.Tenants[tenantId].TemporaryAccessPasses);
    }

    [Fact]
    public async Task Without_the_links_secret_the_page_says_to_open_the_mailed_link_and_offers_no_form()
    {
        await using var browser = await fixture.BrowserAsync();
        await browser.Page.GotoAsync(new Uri(fixture.Host.WebUrl, "/sign-in-pass").ToString());
        await Expect(browser.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Open this page with the link from your mail");
        await Expect(browser.Page.GetByRole(AriaRole.Button, new() { Name = "Send me a confirmation code" })).ToBeHiddenAsync();
    }

    private bool SignsIn(string tenantId, string upn, string pass)
    {
        var emulator = fixture.Emulator;
        return UserCredentials.Check(emulator.State, emulator.State.Tenants[tenantId], upn, pass, emulator.Options).User is not null;
    }

    private async Task<(string TenantId, ServiceAccount Account)> MailingAccountAsync()
    {
        var tenantId = await PassMailTenants.AddAsync(fixture.Emulator);
        var create = ReadyTenants.Create(tenantId);
        create.Tenant.MailSender = PassMailTenants.Sender(tenantId);
        var created = await fixture.Host.ApprovedTenants(_partner).CreateTenantAsync(create);
        using (var call = fixture.Host.Operations(_partner).WatchOperation(new WatchOperationRequest { Name = created.Operation.Name }))
        {
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
            {
            }
        }

        var account = await fixture.Host.ServiceAccounts(_partner).CreateServiceAccountAsync(new CreateServiceAccountRequest
        {
            RequestId = Guid.NewGuid().ToString("D"),
            Parent = created.Tenant.Name,
            ServiceAccountId = "expert",
            ServiceAccount = new ServiceAccount
            {
                DisplayName = "Erin Expert (OEM)",
                UserPrincipalName = $"erin.expert@{TestEmulator.DefaultDomain(tenantId)}",
                UsageLocation = "DE",
                VendorContact = new VendorContact { Email = Contact },
            },
        });
        return (tenantId, account.ServiceAccount);
    }
}
