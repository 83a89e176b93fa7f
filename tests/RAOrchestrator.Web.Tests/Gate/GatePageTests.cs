using Microsoft.Playwright;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RAOrchestrator.Web.Tests.Gate;

/// <summary>
/// The guests' join page in Chromium, as a vendor's expert meets it: the invitation link, the waiting view, and the
/// meeting; the organizer's side admits or denies over gRPC.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class GatePageTests(WebFixture fixture)
{
    [Fact]
    public async Task An_invited_guest_sees_the_meeting_asks_to_join_is_admitted_live_and_lands_on_the_teams_meeting()
    {
        var flow = await new GateFlow(fixture).ScheduleAsync();
        await using var browser = await fixture.BrowserAsync();
        var page = browser.Page;

        await page.GotoAsync(flow.InvitationLink);
        await Expect(page).ToHaveTitleAsync("Join a session · RAOrchestrator");
        var meeting = page.Locator("dl");
        await Expect(meeting).ToContainTextAsync(GateFlow.Subject);
        await Expect(meeting).ToContainTextAsync("Hanna Technician");
        await Expect(meeting).ToContainTextAsync("Company ABC");
        await Expect(page.GetByText("You can join with Teams desktop on a computer, or with Remote Assist on HoloLens.")).ToBeVisibleAsync();
        await Expect(page.GetByText($"Invited as {flow.GuestEmail}.")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("The email address you were invited at")).ToHaveCountAsync(0); // the link carries it
        await browser.ScreenshotAsync("gate-ask");

        await flow.AskToJoinAsync(page);
        await Expect(page.GetByText("The host has up to 15 minutes to let you in.")).ToBeVisibleAsync();
        await Expect(page.Locator("#elapsed")).ToContainTextAsync(" s");
        await browser.ScreenshotAsync("gate-waiting");
        Assert.DoesNotContain("teams.microsoft.com", await page.ContentAsync(), StringComparison.Ordinal);
        // The script ran under the page's policy: no violation; the only error is the browser's own favicon request (404).
        Assert.All(browser.ConsoleErrors, e => Assert.StartsWith("Failed to load resource: the server responded with a status of 404", e));

        await flow.AdmitAsync();

        var meetingUrl = await GateFlow.InMeetingAsync(browser); // the emulator's Teams page: "You joined Pump P-17 alignment as Guest"
        await browser.ScreenshotAsync("teams-in-meeting");
        var redirect = Assert.Single(GateFlow.EnterAnswers(browser));
        Assert.Equal("303 " + meetingUrl, redirect);
        var participant = (await flow.Sessions.GetSessionAsync(new GetSessionRequest { Name = flow.Session.Name, View = SessionView.Full })).Session.Participants.Single(p => p.Kind == Participant.Types.Kind.Anonymous);
        Assert.Equal(Participant.Types.State.Admitted, participant.State);
        Assert.Equal(GateFlow.GuestName, participant.DisplayName);
        Assert.Equal(ClientKind.TeamsDesktop, participant.Client);
        Assert.True(participant.InvitationVerified);
    }

    [Fact]
    public async Task A_denied_guest_sees_the_denial_without_reloading()
    {
        var flow = await new GateFlow(fixture).ScheduleAsync();
        await using var browser = await fixture.BrowserAsync();
        await flow.AskToJoinAsync(browser.Page);
        var documents = browser.Documents.Count;

        await flow.DenyAsync();

        await Expect(browser.Page.GetByText("The host did not let you in.")).ToBeVisibleAsync();
        await Expect(browser.Page.GetByText("If you think this is a mistake, contact the organizer, Hanna Technician.")).ToBeVisibleAsync();
        await Expect(browser.Page.GetByText("Waiting for the host to let you in.")).ToBeHiddenAsync();
        Assert.Equal(documents, browser.Documents.Count); // no reload
        await browser.ScreenshotAsync("gate-denied");
    }

    [Fact]
    public async Task A_guest_nobody_lets_in_sees_the_lobby_timeout_live_with_what_to_do_next()
    {
        var flow = await new GateFlow(fixture).ScheduleAsync(maxWait: TimeSpan.FromSeconds(4));
        await using var browser = await fixture.BrowserAsync();
        await flow.AskToJoinAsync(browser.Page);
        await Expect(browser.Page.GetByText("The host has up to 4 seconds to let you in.")).ToBeVisibleAsync();

        await Expect(browser.Page.GetByText("Nobody let you in within 4 seconds.")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(browser.Page.GetByRole(AriaRole.Link, new() { Name = "Ask to join again" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("gate-timed-out");
    }

    [Fact]
    public async Task A_reload_while_waiting_keeps_the_place_and_the_link_opened_again_leads_back_to_it()
    {
        var flow = await new GateFlow(fixture).ScheduleAsync();
        await using var browser = await fixture.BrowserAsync();
        await flow.AskToJoinAsync(browser.Page);
        var participant = await flow.WaitingGuestAsync();

        await browser.Page.ReloadAsync();
        await Expect(browser.Page.GetByText("Waiting for the host to let you in.")).ToBeVisibleAsync();
        await browser.Page.GotoAsync(new Uri(fixture.Host.WebUrl, "/join?session=" + Uri.EscapeDataString(flow.Session.Name)).ToString());
        await Expect(browser.Page.GetByText("Waiting for the host to let you in.")).ToBeVisibleAsync();

        Assert.Equal(participant, await flow.WaitingGuestAsync()); // the same request, not a second one
        Assert.DoesNotContain(browser.Requests, r => r.Query.Contains(participant, StringComparison.Ordinal));
        var cookie = Assert.Single(await browser.Context.CookiesAsync(), c => c.Name == "raorch-gate");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/join", cookie.Path);
    }

    [Fact]
    public async Task A_guest_on_a_phone_is_told_in_words_that_teams_mobile_cannot_join()
    {
        var flow = await new GateFlow(fixture).ScheduleAsync();
        await using var browser = await fixture.Chromium.NewSessionAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
            IsMobile = true,
            HasTouch = true,
        });

        await browser.Page.GotoAsync(flow.InvitationLink);
        await Expect(browser.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("You are on a phone: Teams mobile cannot join a Remote Assist session. Open this link on a computer with Teams desktop.");
        await browser.ScreenshotAsync("gate-phone");

        // Asking anyway from the phone is refused by the session's client rule, in words.
        await browser.Page.GetByLabel("Your name, as the host will see it").FillAsync(GateFlow.GuestName);
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Ask to join" }).ClickAsync();
        await Expect(browser.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This device cannot join: Teams mobile");
        Assert.Equal(403, browser.LastDocument.Status);
    }
}
