using Microsoft.Playwright;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RAOrchestrator.Web.Tests.Gate;

/// <summary>What the join page refuses: posts without its form token, another session's attempt, a removed guest's way back, a replayed redirect, unknown links, floods.</summary>
[Collection(WebCollection.Name)]
public sealed class GatePageSecurityTests(WebFixture fixture)
{
    [Fact]
    public async Task A_join_post_without_the_pages_form_token_or_with_a_forged_one_is_refused_and_joins_nobody()
    {
        var flow = await new GateFlow(fixture).ScheduleAsync();
        await using var browser = await fixture.BrowserAsync();
        await browser.Page.GotoAsync(flow.InvitationLink); // the browser holds a token cookie; the attacker's form does not know it

        var missing = await browser.Context.APIRequest.PostAsync(flow.InvitationLink, new() { Form = Form(browser, ("name", "Mallory")) });
        var forged = await browser.Context.APIRequest.PostAsync(flow.InvitationLink, new() { Form = Form(browser, ("name", "Mallory"), ("csrf", new string('a', 43))) });

        Assert.Equal((403, 403), (missing.Status, forged.Status));
        Assert.Contains("did not come from the join page", await missing.TextAsync(), StringComparison.Ordinal);
        var session = (await flow.Sessions.GetSessionAsync(new GetSessionRequest { Name = flow.Session.Name, View = SessionView.Full })).Session;
        Assert.Empty(session.Participants);
    }

    [Fact]
    public async Task An_attempt_is_good_only_for_its_own_session_and_a_forged_attempt_cookie_is_nothing()
    {
        var mine = await new GateFlow(fixture).ScheduleAsync();
        var other = await new GateFlow(fixture).ScheduleAsync();
        await using var browser = await fixture.BrowserAsync();
        await mine.AskToJoinAsync(browser.Page);
        var otherSession = Uri.EscapeDataString(other.Session.Name);
        var own = await browser.Context.APIRequest.GetAsync(new Uri(fixture.Host.WebUrl, $"/join/wait?session={Uri.EscapeDataString(mine.Session.Name)}").ToString());
        Assert.Equal(200, own.Status); // the same request, for its own session

        foreach (var path in new[] { "/join/wait", "/join/events", "/join/enter" })
        {
            var response = await browser.Context.APIRequest.GetAsync(new Uri(fixture.Host.WebUrl, $"{path}?session={otherSession}").ToString(), new() { MaxRedirects = 0 });
            Assert.Equal(404, response.Status); // the browser's cookie is sent, and is of no use here
        }

        await using var forger = await fixture.BrowserAsync();
        await forger.Context.AddCookiesAsync([new Cookie { Name = "raorch-gate", Value = "CfDJ8" + new string('x', 200), Url = fixture.Host.WebUrl.ToString() }]);
        var forged = await forger.Page.GotoAsync(new Uri(fixture.Host.WebUrl, $"/join/wait?session={Uri.EscapeDataString(mine.Session.Name)}").ToString());
        Assert.Equal(404, forged!.Status);
        await Expect(forger.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This join link is not valid");
    }

    [Fact]
    public async Task A_removed_guest_finds_the_old_meeting_url_replaced_and_the_invitation_link_does_not_let_them_back_in()
    {
        var flow = await new GateFlow(fixture).ScheduleAsync();
        await using var browser = await fixture.BrowserAsync();
        var meetingUrl = await flow.EnterMeetingAsync(browser);
        var page = browser.Page;

        await flow.RemoveAsync();

        // The service replaced the meeting whose URL the guest knows: the session has one meeting, at another URL.
        var meetings = fixture.Emulator.State.Tenants[flow.TenantId].OnlineMeetings
            .Where(m => ((string?)m.Body["externalId"])?.StartsWith(flow.Session.Name, StringComparison.Ordinal) == true).ToList();
        Assert.NotEqual(meetingUrl, (string?)Assert.Single(meetings).Body["joinWebUrl"]);

        // The old URL, opened again: Teams (played by the emulator) says the meeting is gone, and joins nobody.
        var old = await page.GotoAsync(meetingUrl);
        Assert.Equal(404, old!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This meeting no longer exists");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("its link has been replaced by a new one");
        await browser.ScreenshotAsync("teams-meeting-replaced");

        // The invitation link, opened again: the page offers to ask, and asking is refused in words.
        await page.GotoAsync(flow.InvitationLink);
        await page.GetByLabel("Your name, as the host will see it").FillAsync(GateFlow.GuestName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask to join" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The host removed you from this session. Contact the organizer if you need to join again.");
        Assert.Equal(403, browser.LastDocument.Status);
        await browser.ScreenshotAsync("gate-removed-asks-again");

        // Nor does the way in without asking: the attempt was spent on the first entry.
        var enter = await page.GotoAsync(new Uri(fixture.Host.WebUrl, "/join/enter?session=" + Uri.EscapeDataString(flow.Session.Name)).ToString());
        Assert.Equal(404, enter!.Status);

        Assert.Equal(Participant.Types.State.Removed, (await flow.GuestAsync()).State); // nobody waits for the organizer side
        Assert.Equal(["303 " + meetingUrl], GateFlow.EnterAnswers(browser).Where(a => a.StartsWith("303", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_redirect_into_the_meeting_works_once_and_a_replayed_attempt_cookie_is_refused()
    {
        var flow = await new GateFlow(fixture).ScheduleAsync();
        await using var browser = await fixture.BrowserAsync();
        await flow.AskToJoinAsync(browser.Page);
        var attempt = Assert.Single(await browser.Context.CookiesAsync(), c => c.Name == "raorch-gate");
        await flow.AdmitAsync();
        await GateFlow.InMeetingAsync(browser);
        var enter = new Uri(fixture.Host.WebUrl, "/join/enter?session=" + Uri.EscapeDataString(flow.Session.Name)).ToString();

        // Someone who copied the attempt cookie before it was used gets no second way in.
        await using var replayer = await fixture.BrowserAsync();
        await replayer.Context.AddCookiesAsync([new Cookie { Name = attempt.Name, Value = attempt.Value, Url = fixture.Host.WebUrl.ToString() }]);
        var replay = await replayer.Page.GotoAsync(enter);

        Assert.Equal(409, replay!.Status);
        await Expect(replayer.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("This way into the meeting was already used once. Open the invitation link again to ask to join.");
        Assert.DoesNotContain("teams.microsoft.com", await replayer.Page.ContentAsync(), StringComparison.Ordinal);
        await replayer.ScreenshotAsync("gate-replayed");
        Assert.DoesNotContain(GateFlow.EnterAnswers(replayer), a => a.StartsWith("303", StringComparison.Ordinal));
        Assert.Single(GateFlow.EnterAnswers(browser));
    }

    [Fact]
    public async Task Unknown_malformed_and_other_tenants_session_links_all_get_the_same_not_found_page()
    {
        var flow = await new GateFlow(fixture).ScheduleAsync();
        await using var browser = await fixture.BrowserAsync();
        var unknownInKnownTenant = flow.Session.Name[..(flow.Session.Name.LastIndexOf('/') + 1)] + "s-000000000000";
        var unknownTenant = $"tenants/{Guid.NewGuid():D}/sessions/s-1";

        var bodies = new List<string>();
        foreach (var session in new[] { unknownInKnownTenant, unknownTenant, "../../etc/passwd", new string('a', 5000), string.Empty })
        {
            var response = await browser.Page.GotoAsync(new Uri(fixture.Host.WebUrl, "/join?session=" + Uri.EscapeDataString(session)).ToString());
            Assert.Equal(404, response!.Status);
            bodies.Add(await browser.Page.Locator("main").InnerHTMLAsync());
        }

        Assert.Single(bodies.Distinct());
        Assert.Contains("This join link is not valid", bodies[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_waiting_view_runs_only_the_hosts_script_under_a_strict_policy_and_loads_nothing_from_elsewhere()
    {
        var flow = await new GateFlow(fixture).ScheduleAsync();
        await using var browser = await fixture.BrowserAsync();
        await flow.AskToJoinAsync(browser.Page);

        var headers = await browser.LastDocument.AllHeadersAsync();
        Assert.Equal("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            headers["content-security-policy"]);
        Assert.Equal(("no-store", "DENY"), (headers["cache-control"], headers["x-frame-options"]));
        var host = fixture.Host.WebUrl.GetLeftPart(UriPartial.Authority);
        Assert.All(browser.Requests, r => Assert.Equal(host, r.GetLeftPart(UriPartial.Authority)));
        Assert.Contains(browser.Requests, r => r.AbsolutePath == "/assets/gate.js");
        Assert.All(browser.ConsoleErrors, e => Assert.StartsWith("Failed to load resource: the server responded with a status of 404", e)); // the favicon
    }

    [Fact]
    public async Task Join_posts_for_one_session_beyond_the_per_session_limit_are_answered_429()
    {
        var flow = await new GateFlow(fixture).ScheduleAsync();
        await using var browser = await fixture.BrowserAsync();

        var statuses = new List<int>();
        for (var i = 0; i < 31; i++)
        {
            statuses.Add((await browser.Context.APIRequest.PostAsync(flow.InvitationLink, new() { Form = Form(browser, ("name", "Flood")) })).Status);
        }

        Assert.All(statuses.Take(30), s => Assert.Equal(403, s)); // counted before the form is read: no token, refused
        Assert.Equal(429, statuses[^1]);
    }

    private static IFormData Form(BrowserSession browser, params (string Name, string Value)[] fields)
    {
        var form = browser.Context.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return form;
    }
}
