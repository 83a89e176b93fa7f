using Microsoft.Playwright;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static RAOrchestrator.Web.Tests.Console.ConsoleWorld;

namespace RAOrchestrator.Web.Tests.Console;

/// <summary>
/// The organizer on the lobby console: sees guests arrive live, and lets them in or turns them away with one click; is told
/// before the click when the session would refuse someone (information barriers); sees sessions come and go without a reload.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class LobbyConsoleTests(WebFixture fixture)
{
    [Fact]
    public async Task The_organizer_sees_a_guest_arrive_without_reloading_and_admits_it_with_one_click()
    {
        var world = await ConsoleWorld.OnboardAsync(fixture);
        var session = await world.ScheduleAsync("Pump P-17 alignment", Expert);
        await using var browser = await fixture.BrowserAsync();
        var page = browser.Page;

        await world.SignInAsync(page, world.Organizer);
        var lobby = ConsoleWorld.Lobby(page, session);
        await Expect(lobby.GetByRole(AriaRole.Heading, new() { Name = "Pump P-17 alignment" })).ToBeVisibleAsync();
        await Expect(lobby).ToContainTextAsync("Nobody is waiting.");
        await browser.ScreenshotAsync("console-empty-lobby");
        var documents = browser.Documents.Count;

        var guest = await world.GuestJoinsAsync(session, Expert);

        // The lobby redraws itself: no page was loaded again.
        var admit = page.GetByRole(AriaRole.Button, new() { Name = "Admit Erin Expert" });
        await Expect(admit).ToBeVisibleAsync();
        Assert.Equal(documents, browser.Documents.Count);
        await Expect(ConsoleWorld.Lobby(page, session)).ToContainTextAsync(Expert);
        await Expect(ConsoleWorld.Lobby(page, session)).ToContainTextAsync("Teams desktop");
        await Expect(ConsoleWorld.Lobby(page, session)).ToContainTextAsync("invited address, no matching proof");
        await Expect(ConsoleWorld.Lobby(page, session)).ToContainTextAsync("waiting");
        await Expect(ConsoleWorld.Lobby(page, session).GetByRole(AriaRole.Heading, new() { Name = "Waiting in the lobby (1)" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("console-guest-waiting");

        await admit.ClickAsync();

        await Expect(ConsoleWorld.Lobby(page, session).GetByRole(AriaRole.Heading, new() { Name = "Admitted (1)" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Remove Erin Expert" })).ToBeVisibleAsync();
        await Expect(ConsoleWorld.Lobby(page, session)).ToContainTextAsync("Nobody is waiting.");
        await browser.ScreenshotAsync("console-guest-admitted");
        var admitted = await world.ParticipantAsync(session, guest.Id);
        Assert.Equal(Participant.Types.State.Admitted, admitted.State);
        Assert.Empty(browser.ConsoleErrors);
    }

    [Fact]
    public async Task The_organizer_denies_a_waiting_guest_and_removes_an_admitted_one()
    {
        var world = await ConsoleWorld.OnboardAsync(fixture);
        const string Other = "olga.other@oem.example";
        var session = await world.ScheduleAsync("Valve V-3 inspection", Expert, Other);
        var denied = await world.GuestJoinsAsync(session, Expert);
        var removed = await world.GuestJoinsAsync(session, Other);
        await using var browser = await fixture.BrowserAsync();
        var page = browser.Page;
        await world.SignInAsync(page, world.Organizer);

        await page.GetByRole(AriaRole.Button, new() { Name = "Deny Erin Expert" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Admit Erin Expert" })).ToHaveCountAsync(0);
        Assert.Equal(Participant.Types.State.Denied, (await world.ParticipantAsync(session, denied.Id)).State);

        await page.GetByRole(AriaRole.Button, new() { Name = "Admit Olga Other" }).ClickAsync();
        // Keyboard only: the Remove button is reached and pressed without a mouse.
        var remove = page.GetByRole(AriaRole.Button, new() { Name = "Remove Olga Other" });
        await remove.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(ConsoleWorld.Lobby(page, session).GetByRole(AriaRole.Heading, new() { Name = "Admitted (0)" })).ToBeVisibleAsync();
        Assert.Equal(Participant.Types.State.Removed, (await world.ParticipantAsync(session, removed.Id)).State);
    }

    [Fact]
    public async Task A_delegated_admitter_sees_the_session_it_admits_for_and_lets_a_guest_in()
    {
        var world = await ConsoleWorld.OnboardAsync(fixture);
        var (admitterId, admitter) = await world.AddAdmitterAsync();
        var session = await world.ScheduleWithAdmitterAsync("Turbine T-2 balancing", admitterId, Expert);
        var other = await world.ScheduleAsync("Someone else's session", Expert);
        var guest = await world.GuestJoinsAsync(session, Expert);
        await using var browser = await fixture.BrowserAsync();
        var page = browser.Page;

        await world.SignInAsync(page, admitter);

        await Expect(ConsoleWorld.Lobby(page, session).GetByRole(AriaRole.Heading, new() { Name = "Turbine T-2 balancing" })).ToBeVisibleAsync();
        await Expect(ConsoleWorld.Lobby(page, other)).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Admit Erin Expert" }).ClickAsync();
        await Expect(ConsoleWorld.Lobby(page, session).GetByRole(AriaRole.Heading, new() { Name = "Admitted (1)" })).ToBeVisibleAsync();
        var admitted = await world.ParticipantAsync(session, guest.Id);
        Assert.Equal(Participant.Types.State.Admitted, admitted.State);
        Assert.Contains(admitterId, admitted.DecidedBy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1280, 720)]
    [InlineData(853, 480)]
    public async Task The_console_fits_a_desktop_and_a_small_viewport_without_scrolling_sideways(int width, int height)
    {
        var world = await ConsoleWorld.OnboardAsync(fixture);
        var session = await world.ScheduleAsync("Compressor C-9 check", Expert);
        await world.GuestJoinsAsync(session, Expert);
        await using var browser = await fixture.Chromium.NewSessionAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = browser.Page;

        await world.SignInAsync(page, world.Organizer);

        var admit = page.GetByRole(AriaRole.Button, new() { Name = "Admit Erin Expert" });
        await Expect(admit).ToBeInViewportAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
        await browser.ScreenshotAsync($"console-{width}x{height}");
    }

    [Fact]
    public async Task A_barrier_refusal_is_shown_before_the_click_instead_of_admit_and_admit_returns_once_the_barrier_has_left()
    {
        var world = await ConsoleWorld.OnboardAsync(fixture);
        var (controller, vendor) = await world.KeepFinanceFromVendorsAsync();
        var session = await world.ScheduleForMembersAsync("Chiller CH-4 service", controller, vendor);
        // The vendor waits; then the finance controller joins and is let in, so the vendor would meet Finance.
        var waiting = await world.MemberJoinsAsync(session, vendor);
        var inside = await world.MemberJoinsAsync(session, controller);
        await world.Sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = session.Name, ParticipantId = inside.Id });
        Assert.Equal(Participant.Types.State.InLobby, waiting.State);

        await using var browser = await world.ConsoleAsAsync(world.Organizer);

        var page = browser.Page;
        var lobby = ConsoleWorld.Lobby(page, session);
        await Expect(lobby.GetByRole(AriaRole.Heading, new() { Name = "Waiting in the lobby (1)" })).ToBeVisibleAsync();
        await Expect(lobby).ToContainTextAsync("Cannot be admitted now. Information barriers prevent meeting 'Otto OEM'");
        await Expect(lobby).ToContainTextAsync("finance-blocks-vendors");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Admit Otto OEM" })).ToHaveCountAsync(0);
        var deny = page.GetByRole(AriaRole.Button, new() { Name = "Deny Otto OEM" });
        await Expect(deny).ToBeVisibleAsync();
        await Expect(deny).ToHaveAccessibleDescriptionAsync(new System.Text.RegularExpressions.Regex("Information barriers prevent meeting 'Otto OEM'"));
        await browser.ScreenshotAsync("console-barrier-refusal");
        var documents = browser.Documents.Count;

        // The controller leaves the meeting: the lobby redraws itself, and the vendor may now be admitted.
        await world.Sessions.LeaveSessionAsync(new LeaveSessionRequest { Name = session.Name, ParticipantId = inside.Id });
        var admit = page.GetByRole(AriaRole.Button, new() { Name = "Admit Otto OEM" });
        await Expect(admit).ToBeVisibleAsync();
        await Expect(lobby).Not.ToContainTextAsync("Cannot be admitted now");
        Assert.Equal(documents, browser.Documents.Count);
        await admit.ClickAsync();

        await Expect(lobby.GetByRole(AriaRole.Heading, new() { Name = "Admitted (1)" })).ToBeVisibleAsync();
        Assert.Equal(Participant.Types.State.Admitted, (await world.ParticipantAsync(session, waiting.Id)).State);
        Assert.Empty(browser.ConsoleErrors);
    }

    [Fact]
    public async Task A_session_scheduled_after_the_console_opened_appears_without_a_reload_and_goes_when_cancelled()
    {
        var world = await ConsoleWorld.OnboardAsync(fixture);
        await using var browser = await world.ConsoleAsAsync(world.Organizer);
        var page = browser.Page;
        await Expect(page.GetByText("You have no upcoming or live sessions as organizer or delegated admitter.")).ToBeVisibleAsync();
        var documents = browser.Documents.Count;

        var session = await world.ScheduleAsync("Boiler B-1 restart", Expert);

        var lobby = ConsoleWorld.Lobby(page, session);
        await Expect(lobby.GetByRole(AriaRole.Heading, new() { Name = "Boiler B-1 restart" })).ToBeVisibleAsync();
        await Expect(page.GetByText("You have no upcoming or live sessions as organizer or delegated admitter.")).ToHaveCountAsync(0);
        await Expect(lobby).ToContainTextAsync("Upcoming");

        // The new lobby is live too: a guest arriving shows up in it.
        await world.GuestJoinsAsync(session, Expert);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Admit Erin Expert" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("console-session-appeared");

        var feedAsked = ConsoleWorld.FeedRequests(browser, session);
        await world.Sessions.CancelSessionAsync(new CancelSessionRequest { Name = session.Name });

        await Expect(lobby).ToHaveCountAsync(0);
        await Expect(page.GetByText("You have no upcoming or live sessions as organizer or delegated admitter.")).ToBeVisibleAsync();
        Assert.Equal(documents, browser.Documents.Count);
        // The feed's request waiting at the cancel answered the lobby closed, and the page stopped asking: before, the
        // feed answered "nothing new" at once for a closed session and the page asked again hundreds of times a second.
        await Task.Delay(500);
        Assert.InRange(ConsoleWorld.FeedRequests(browser, session) - feedAsked, 0, 1);
        Assert.Empty(browser.ConsoleErrors);
    }
}
