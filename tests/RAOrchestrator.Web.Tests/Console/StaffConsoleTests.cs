using Microsoft.Playwright;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Testing;
using RAOrchestrator.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static RAOrchestrator.Web.Tests.Console.ConsoleWorld;

namespace RAOrchestrator.Web.Tests.Console;

/// <summary>
/// The managing partner's staff on the lobby console: signed in at the partner issuer (the authority of the partner's
/// API tokens), they see the sessions of every tenant the partner manages and let people in as the partner does.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class StaffConsoleTests(WebFixture fixture)
{
    [Fact]
    public async Task The_sign_in_page_offers_the_organizations_account_and_the_partner_staffs_sign_in()
    {
        var host = await fixture.PartnerIssuerHostAsync();
        await using var browser = await fixture.BrowserAsync();

        await browser.Page.GotoAsync(new Uri(host.WebUrl, "/console").ToString());

        await Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Name = "I am the organizer or an admitter (my organization's account)" })).ToBeVisibleAsync();
        await Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Name = "I am the managing partner's staff" })).ToBeVisibleAsync();
        await Expect(browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in as partner staff" })).ToBeVisibleAsync();
        // The forms may send the browser to Entra (organizations) and to the partner issuer (here both the emulator).
        Assert.Contains($"form-action 'self' {fixture.Emulator.BaseAddress.GetLeftPart(UriPartial.Authority)};", (await browser.LastDocument.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        await browser.ScreenshotAsync("console-sign-in-both");
    }

    [Fact]
    public async Task A_partner_staff_member_sees_the_sessions_of_each_managed_tenant_admits_a_guest_as_the_partner_and_sees_the_session_end()
    {
        var host = await fixture.PartnerIssuerHostAsync();
        var world = await ConsoleWorld.OnboardAsync(fixture, host);
        var session = await world.ScheduleAsync("Pump P-17 alignment", Expert);
        var staff = TestEmulator.AddPartnerStaff(fixture.Emulator, world.Partner, "Sam Support", "RAOrchestrator.Write");
        await using var browser = await fixture.BrowserAsync();
        var page = browser.Page;

        await world.StaffSignInAsync(page, staff);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Lobby console" })).ToBeVisibleAsync();
        await Expect(page.GetByText($"staff of {world.Partner}")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Company ABC ({world.TenantId})" })).ToBeVisibleAsync();
        await Expect(ConsoleWorld.Lobby(page, session)).ToContainTextAsync("Nobody is waiting.");
        var guest = await world.GuestJoinsAsync(session, Expert);

        // Live, as on the organizer's console: the guest appears without a reload.
        var admit = page.GetByRole(AriaRole.Button, new() { Name = "Admit Erin Expert" });
        await Expect(admit).ToBeVisibleAsync();
        await browser.ScreenshotAsync("console-staff-guest-waiting");
        await admit.ClickAsync();

        await Expect(ConsoleWorld.Lobby(page, session).GetByRole(AriaRole.Heading, new() { Name = "Admitted (1)" })).ToBeVisibleAsync();
        var admitted = await world.ParticipantAsync(session, guest.Id);
        Assert.Equal(Participant.Types.State.Admitted, admitted.State);
        Assert.Contains($"partner:{world.Partner}", admitted.DecidedBy, StringComparison.Ordinal);
        var cookie = Assert.Single(await browser.Context.CookiesAsync(), c => c.Name == "raorch-console-staff");
        Assert.Equal((true, "/console/staff", SameSiteAttribute.Lax), (cookie.HttpOnly, cookie.Path, cookie.SameSite));

        // The session ends: its lobby says so (the guest has left), and the page stops asking its feed (which answers a
        // closed lobby once).
        var asked = ConsoleWorld.FeedRequests(browser, session);
        await world.Sessions.EndSessionAsync(new EndSessionRequest { Name = session.Name });
        await Expect(ConsoleWorld.Lobby(page, session)).ToHaveCountAsync(0);
        var ended = page.Locator("section.lobby").Filter(new() { HasText = "Pump P-17 alignment" });
        await Expect(ended).ToContainTextAsync("Ended");
        await Expect(ended.GetByRole(AriaRole.Heading, new() { Name = "Admitted (0)" })).ToBeVisibleAsync();
        await Task.Delay(500);
        Assert.InRange(ConsoleWorld.FeedRequests(browser, session) - asked, 0, 1);
        Assert.Empty(browser.ConsoleErrors);
    }

    [Fact]
    public async Task A_read_role_staff_member_watches_the_lobby_but_is_refused_when_it_admits()
    {
        var (world, session, guest, watcher) = await ConsoleWorld.StaffSceneAsync(fixture, "RAOrchestrator.Read");
        await using var browser = await fixture.BrowserAsync();
        var page = browser.Page;

        await world.StaffSignInAsync(page, watcher);
        await Expect(page.Locator("#staff-role")).ToContainTextAsync("lets you watch these lobbies");
        await Expect(ConsoleWorld.Lobby(page, session)).ToContainTextAsync(Expert);
        await page.GetByRole(AriaRole.Button, new() { Name = "Admit Erin Expert" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your role (RAOrchestrator.Read) lets you watch these lobbies; admitting, denying and removing people need the RAOrchestrator.Write role.");
        Assert.Equal(403, browser.LastDocument.Status);
        Assert.Equal(Participant.Types.State.InLobby, (await world.ParticipantAsync(session, guest.Id)).State);
    }
}
