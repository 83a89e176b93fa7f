using Microsoft.Playwright;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static RAOrchestrator.Web.Tests.Console.ConsoleWorld;

namespace RAOrchestrator.Web.Tests.Console;

/// <summary>The organizer on the lobby console: sees guests arrive live, and lets them in or turns them away with one click.</summary>
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
}
