using Microsoft.Playwright;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static RAOrchestrator.Web.Tests.Console.ConsoleWorld;

namespace RAOrchestrator.Web.Tests.Console;

/// <summary>Who can act on the lobby console: only a signed-in organizer or admitter of the session, with the console's own form token.</summary>
[Collection(WebCollection.Name)]
public sealed class LobbyConsoleSecurityTests(WebFixture fixture)
{
    [Fact]
    public async Task A_signed_in_member_who_does_not_admit_for_the_session_cannot_admit_and_is_told_why()
    {
        var world = await ConsoleWorld.OnboardAsync(fixture);
        var session = await world.ScheduleAsync("Pump P-17 alignment", Expert);
        var guest = await world.GuestJoinsAsync(session, Expert);
        await using var browser = await fixture.BrowserAsync();
        var page = browser.Page;

        await world.SignInAsync(page, world.Member);
        await Expect(page.GetByText("You have no upcoming or live sessions as organizer or delegated admitter.")).ToBeVisibleAsync();
        var token = await page.Locator("input[name=csrf]").InputValueAsync();

        var response = await PostAsync(page, SessionId(session), ("csrf", token), ("participant", guest.Id), ("action", "admit"));

        Assert.Equal(403, response.Status);
        Assert.Contains("You are neither the organizer nor a delegated admitter of this session, so you cannot admit anyone in it.", await response.TextAsync());
        Assert.Equal(Participant.Types.State.InLobby, (await world.ParticipantAsync(session, guest.Id)).State);
        // Nor can it watch the lobby.
        Assert.Equal(404, (await page.APIRequest.GetAsync($"{world.ConsoleUri}/sessions/{SessionId(session)}/lobby?after=0")).Status);
    }

    [Fact]
    public async Task A_post_without_the_consoles_form_token_is_refused()
    {
        var world = await ConsoleWorld.OnboardAsync(fixture);
        var session = await world.ScheduleAsync("Pump P-17 alignment", Expert);
        var guest = await world.GuestJoinsAsync(session, Expert);
        await using var browser = await fixture.BrowserAsync();
        await world.SignInAsync(browser.Page, world.Organizer);

        var missing = await PostAsync(browser.Page, SessionId(session), ("participant", guest.Id), ("action", "admit"));
        var forged = await PostAsync(browser.Page, SessionId(session), ("csrf", "forged-token-forged-token-forged-token"), ("participant", guest.Id), ("action", "admit"));

        Assert.Equal((403, 403), (missing.Status, forged.Status));
        Assert.Contains("This form has expired or did not come from the lobby console.", await missing.TextAsync());
        Assert.Equal(Participant.Types.State.InLobby, (await world.ParticipantAsync(session, guest.Id)).State);
    }

    [Fact]
    public async Task A_browser_that_never_signed_in_cannot_act_or_watch()
    {
        var world = await ConsoleWorld.OnboardAsync(fixture);
        var session = await world.ScheduleAsync("Pump P-17 alignment", Expert);
        var guest = await world.GuestJoinsAsync(session, Expert);
        await using var browser = await fixture.BrowserAsync();

        var post = await PostAsync(browser.Page, SessionId(session), ("csrf", "any-token-any-token-any-token"), ("participant", guest.Id), ("action", "admit"));
        var watch = await browser.Page.APIRequest.GetAsync($"{world.ConsoleUri}/sessions/{SessionId(session)}/lobby?after=0");
        var list = await browser.Page.APIRequest.GetAsync($"{world.ConsoleUri}/sessions?shown=stale");

        Assert.Equal(403, post.Status);
        Assert.Contains("Only a signed-in organizer or delegated admitter can let people in.", await post.TextAsync());
        Assert.Equal((401, 401), (watch.Status, list.Status));
        Assert.Equal(Participant.Types.State.InLobby, (await world.ParticipantAsync(session, guest.Id)).State);
    }

    [Fact]
    public async Task The_console_cookie_is_http_only_same_site_and_scoped_to_the_console_and_a_replayed_sign_in_redirect_signs_nobody_in()
    {
        var world = await ConsoleWorld.OnboardAsync(fixture);
        await using var browser = await fixture.BrowserAsync();
        string? callback = null;
        browser.Page.Request += (_, r) =>
        {
            if (r.Url.Contains("/console/callback", StringComparison.Ordinal))
            {
                callback = r.Url;
            }
        };

        await world.SignInAsync(browser.Page, world.Organizer);

        var cookie = Assert.Single(await browser.Context.CookiesAsync());
        Assert.Equal(("raorch-console", true, "/console", SameSiteAttribute.Lax), (cookie.Name, cookie.HttpOnly, cookie.Path, cookie.SameSite));
        var headers = await browser.LastDocument.AllHeadersAsync();
        Assert.Equal("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            headers["content-security-policy"]);

        // The same redirect opened again, in another browser: nothing to finish there.
        Assert.NotNull(callback);
        await using var other = await fixture.BrowserAsync();
        await other.Page.GotoAsync(callback);
        await Expect(other.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This sign-in was not started in this browser");
        Assert.Empty(await other.Context.CookiesAsync());
    }

    [Fact]
    public async Task The_organizer_of_another_organization_cannot_reach_this_organizations_session()
    {
        var world = await ConsoleWorld.OnboardAsync(fixture);
        var session = await world.ScheduleAsync("Pump P-17 alignment", Expert);
        var guest = await world.GuestJoinsAsync(session, Expert);
        var elsewhere = await ConsoleWorld.OnboardAsync(fixture);
        await using var browser = await fixture.BrowserAsync();
        await elsewhere.SignInAsync(browser.Page, elsewhere.Organizer);
        var token = await browser.Page.Locator("input[name=csrf]").InputValueAsync();

        var post = await PostAsync(browser.Page, SessionId(session), ("csrf", token), ("participant", guest.Id), ("action", "admit"));
        var feed = await browser.Page.APIRequest.GetAsync($"{world.ConsoleUri}/sessions/{SessionId(session)}/lobby?after=0");
        var list = await browser.Page.APIRequest.GetAsync($"{world.ConsoleUri}/sessions?shown=stale");

        // The session is looked up in the signed-in user's own organization only, where it does not exist.
        Assert.Equal((404, 404), (post.Status, feed.Status));
        Assert.Equal(200, list.Status);
        Assert.DoesNotContain(SessionId(session), await list.TextAsync(), StringComparison.Ordinal);
        Assert.Contains("You have no upcoming or live sessions", await list.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(Participant.Types.State.InLobby, (await world.ParticipantAsync(session, guest.Id)).State);
    }

    [Fact]
    public async Task Malformed_or_huge_input_from_a_signed_in_organizer_is_refused_as_such_and_changes_nothing()
    {
        var world = await ConsoleWorld.OnboardAsync(fixture);
        var session = await world.ScheduleAsync("Pump P-17 alignment", Expert);
        var guest = await world.GuestJoinsAsync(session, Expert);
        await using var browser = await fixture.BrowserAsync();
        await world.SignInAsync(browser.Page, world.Organizer);
        var token = await browser.Page.Locator("input[name=csrf]").First.InputValueAsync();

        var huge = await PostAsync(browser.Page, SessionId(session), ("csrf", token), ("participant", new string('x', 100_000)), ("action", "admit"));
        var unknownAction = await PostAsync(browser.Page, SessionId(session), ("csrf", token), ("participant", guest.Id), ("action", "promote"));
        var badSession = await PostAsync(browser.Page, new string('s', 65), ("csrf", token), ("participant", guest.Id), ("action", "admit"));
        var unknownParticipant = await PostAsync(browser.Page, SessionId(session), ("csrf", token), ("participant", "guest:nobody@oem.example"), ("action", "admit"));
        var badFeed = await browser.Page.APIRequest.GetAsync($"{world.ConsoleUri}/sessions/{SessionId(session)}/lobby?after=-1");
        var noFingerprint = await browser.Page.APIRequest.GetAsync($"{world.ConsoleUri}/sessions");
        var hugeFingerprint = await browser.Page.APIRequest.GetAsync($"{world.ConsoleUri}/sessions?shown={new string('f', 65)}");

        Assert.Equal((400, 400, 400, 404, 404), (huge.Status, unknownAction.Status, badSession.Status, unknownParticipant.Status, badFeed.Status));
        Assert.Equal((400, 400), (noFingerprint.Status, hugeFingerprint.Status));
        Assert.Contains("must come from the lobby console", await unknownAction.TextAsync());
        Assert.Equal(Participant.Types.State.InLobby, (await world.ParticipantAsync(session, guest.Id)).State);
    }

    [Fact]
    public async Task A_console_cookie_written_by_one_host_is_read_by_another_host_on_the_same_storage()
    {
        var world = await ConsoleWorld.OnboardAsync(fixture);
        await using var browser = await fixture.BrowserAsync();
        await world.SignInAsync(browser.Page, world.Organizer);
        // Another host with its own cluster and grain state, on the same storage account (so the same key ring).
        await using var other = await LoopbackHost.StartAsync(fixture.Azurite, fixture.Emulator);

        // Cookies ignore ports: the browser sends the console cookie to the other host, which can read it (it knows
        // the user, and finds its organization unmanaged in its own, empty, state) instead of asking to sign in.
        await browser.Page.GotoAsync(new Uri(other.WebUrl, "/console").ToString());

        await Expect(browser.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Your organization is not managed through RAOrchestrator, so it has no sessions here.");
        await Expect(browser.Page.GetByLabel("Your organization's tenant id")).ToHaveCountAsync(0);
        // The key that protects it is in the storage account, not on one machine's disk.
        var keys = new Azure.Data.Tables.TableServiceClient(fixture.Azurite.ConnectionString).GetTableClient(RAOrchestrator.Server.Web.PageKeyRing.TableName);
        Assert.Contains(keys.Query<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == "keys"), e => e.GetString("Xml").Contains("<key ", StringComparison.Ordinal));
    }

    private static string SessionId(Session session) => session.Name[(session.Name.LastIndexOf('/') + 1)..];

    private async Task<IAPIResponse> PostAsync(IPage page, string sessionId, params (string Name, string Value)[] fields)
    {
        var form = page.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return await page.APIRequest.PostAsync($"{fixture.Host.WebUrl}console/sessions/{sessionId}/participants", new() { Form = form, MaxRedirects = 0 });
    }
}
