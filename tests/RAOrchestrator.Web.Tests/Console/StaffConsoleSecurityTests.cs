using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.GraphEmulator.Tokens;
using RAOrchestrator.Server.Web.SignIn;
using RAOrchestrator.Testing;
using RAOrchestrator.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static RAOrchestrator.Web.Tests.Console.ConsoleWorld;

namespace RAOrchestrator.Web.Tests.Console;

/// <summary>
/// Who can use the partner staff's console: only a staff member the partner issuer vouches for (partner claim, role,
/// for the console, in this browser's sign-in), only for the tenants its own partner manages now, with its form token.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class StaffConsoleSecurityTests(WebFixture fixture)
{
    [Fact]
    public async Task Staff_of_another_partner_cannot_list_watch_or_act_on_this_partners_sessions()
    {
        var (world, session, guest, _) = await ConsoleWorld.StaffSceneAsync(fixture, "RAOrchestrator.Write");
        var host = world.Host;
        var rival = await ConsoleWorld.OnboardAsync(fixture, host);
        var rivalSession = await rival.ScheduleAsync("Rival's own session", Expert);
        var rivalStaff = TestEmulator.AddPartnerStaff(fixture.Emulator, rival.Partner, "Rita Rival", "RAOrchestrator.Write");
        await using var browser = await fixture.BrowserAsync();
        var page = browser.Page;

        await rival.StaffSignInAsync(page, rivalStaff);
        await Expect(ConsoleWorld.Lobby(page, rivalSession)).ToBeVisibleAsync();
        var token = await page.Locator("input[name=csrf]").First.InputValueAsync();

        var path = $"{host.WebUrl}console/staff/tenants/{world.TenantId}/sessions/{SessionId(session)}";
        var feed = await page.APIRequest.GetAsync($"{path}/lobby?after=0");
        var post = await PostAsync(page, $"{path}/participants", ("csrf", token), ("participant", guest.Id), ("action", "admit"));

        await Expect(ConsoleWorld.Lobby(page, session)).ToHaveCountAsync(0);
        await Expect(page.GetByText(world.TenantId)).ToHaveCountAsync(0);
        Assert.Equal((404, 404), (feed.Status, post.Status));
        Assert.Equal(Participant.Types.State.InLobby, (await world.ParticipantAsync(session, guest.Id)).State);
    }

    [Fact]
    public async Task A_read_role_staff_member_cannot_act_by_posting_the_form_directly()
    {
        var (world, session, guest, watcher) = await ConsoleWorld.StaffSceneAsync(fixture, "RAOrchestrator.Read");
        await using var browser = await fixture.BrowserAsync();
        await world.StaffSignInAsync(browser.Page, watcher);
        var token = await browser.Page.Locator("input[name=csrf]").First.InputValueAsync();
        var path = $"{world.Host.WebUrl}console/staff/tenants/{world.TenantId}/sessions/{SessionId(session)}/participants";

        foreach (var action in new[] { "admit", "deny", "remove" })
        {
            var post = await PostAsync(browser.Page, path, ("csrf", token), ("participant", guest.Id), ("action", action));
            Assert.Equal(403, post.Status);
            Assert.Contains("lets you watch these lobbies", await post.TextAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(Participant.Types.State.InLobby, (await world.ParticipantAsync(session, guest.Id)).State);
    }

    [Fact]
    public async Task A_user_of_the_issuer_without_a_partner_or_without_a_role_is_not_signed_in()
    {
        var host = await fixture.PartnerIssuerHostAsync();
        var world = await ConsoleWorld.OnboardAsync(fixture, host);
        var nobody = TestEmulator.AddPartnerStaff(fixture.Emulator, null, "Nora Nobody", "RAOrchestrator.Write");
        var roleless = TestEmulator.AddPartnerStaff(fixture.Emulator, world.Partner, "Rolf Roleless");

        foreach (var (user, refusal) in new[]
        {
            (nobody, "Your account does not belong to a managing partner's staff"),
            (roleless, "Your account has neither the RAOrchestrator.Read nor the RAOrchestrator.Write role"),
        })
        {
            await using var browser = await fixture.BrowserAsync();
            await world.StaffSignInAsync(browser.Page, user);
            await Expect(browser.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync(refusal);
            Assert.Equal(403, browser.LastDocument.Status);
            Assert.DoesNotContain(await browser.Context.CookiesAsync(), c => c.Name == "raorch-console-staff");
        }
    }

    [Fact]
    public async Task An_id_token_for_another_audience_another_sign_in_or_without_the_partner_claim_is_refused()
    {
        var host = await fixture.PartnerIssuerHostAsync();
        var signIn = host.Services.GetRequiredService<StaffSignIn>();
        var issuer = fixture.Emulator.State.PartnerIssuer;
        var staff = new SignedInUser(Guid.NewGuid().ToString(), "Sam Support", "sam@contoso-msp.example", [], "contoso-msp", ["RAOrchestrator.Write"]);
        string Mint(string audience, SignedInUser user, string nonce = "n-1", bool partnerKey = true) =>
            fixture.Emulator.Tokens.MintSignInTokens(fixture.Emulator.BaseAddress, issuer, audience, user, nonce, TimeSpan.FromMinutes(5), partnerKey).IdToken;

        var valid = await signIn.ValidateAsync(Mint(TestEmulator.StaffAppId, staff), "n-1");
        Assert.Equal(("contoso-msp", Server.Security.PartnerRole.Write, staff.Id), (valid.PartnerId, valid.Role, valid.UserId));

        var otherAudience = await Assert.ThrowsAsync<OrchestratorException>(() => signIn.ValidateAsync(Mint(TestEmulator.AppId, staff), "n-1"));
        var otherSignIn = await Assert.ThrowsAsync<OrchestratorException>(() => signIn.ValidateAsync(Mint(TestEmulator.StaffAppId, staff), "n-2"));
        var noPartner = await Assert.ThrowsAsync<OrchestratorException>(() => signIn.ValidateAsync(Mint(TestEmulator.StaffAppId, staff with { PartnerId = null }), "n-1"));
        var noRole = await Assert.ThrowsAsync<OrchestratorException>(() => signIn.ValidateAsync(Mint(TestEmulator.StaffAppId, staff with { AppRoles = [] }), "n-1"));
        // Signed with a key the partner issuer does not publish (the tenants' key), though naming the issuer.
        var otherKey = await Assert.ThrowsAsync<OrchestratorException>(() => signIn.ValidateAsync(Mint(TestEmulator.StaffAppId, staff, partnerKey: false), "n-1"));

        Assert.Equal(
            [Reasons.SignInInvalid, Reasons.SignInNonceMismatch, Reasons.PartnerClaimMissing, Reasons.MissingRole, Reasons.SignInInvalid],
            new[] { otherAudience, otherSignIn, noPartner, noRole, otherKey }.Select(e => e.Reason));
    }

    [Fact]
    public async Task A_forged_or_replayed_sign_in_redirect_signs_nobody_in()
    {
        var host = await fixture.PartnerIssuerHostAsync();
        var world = await ConsoleWorld.OnboardAsync(fixture, host);
        var staff = TestEmulator.AddPartnerStaff(fixture.Emulator, world.Partner, "Sam Support", "RAOrchestrator.Write");
        await using var browser = await fixture.BrowserAsync();
        var page = browser.Page;
        // The sign-in page is filled in from a script, so the issuer's redirect back is in hand and not yet followed.
        await world.StartStaffSignInAsync(page);
        var genuine = await SignInElsewhereAsync(await page.Locator("input[name=request]").InputValueAsync(), staff);

        // The redirect with its state altered, as a forged link would carry it.
        await page.GotoAsync(genuine.Replace("state=", "state=forged", StringComparison.Ordinal));

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This sign-in was not started in this browser");
        Assert.DoesNotContain(await browser.Context.CookiesAsync(), c => c.Name == "raorch-console-staff");
        // The genuine redirect, now in this browser (its sign-in was taken) and in another: nothing to finish either.
        await page.GotoAsync(genuine);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This sign-in was not started in this browser");
        Assert.DoesNotContain(await browser.Context.CookiesAsync(), c => c.Name == "raorch-console-staff");
        await using var other = await fixture.BrowserAsync();
        await other.Page.GotoAsync(genuine);
        await Expect(other.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This sign-in was not started in this browser");
        Assert.Empty(await other.Context.CookiesAsync());
    }

    [Fact]
    public async Task A_post_without_the_staff_consoles_form_token_or_without_a_staff_sign_in_is_refused()
    {
        var (world, session, guest, staff) = await ConsoleWorld.StaffSceneAsync(fixture, "RAOrchestrator.Write");
        var host = world.Host;
        var path = $"{host.WebUrl}console/staff/tenants/{world.TenantId}/sessions/{SessionId(session)}";
        await using var stranger = await fixture.BrowserAsync();
        var anonymous = await PostAsync(stranger.Page, $"{path}/participants", ("csrf", "any-token-any-token-any-token"), ("participant", guest.Id), ("action", "admit"));
        var anonymousFeed = await stranger.Page.APIRequest.GetAsync($"{path}/lobby?after=0");
        await using var browser = await fixture.BrowserAsync();
        await world.StaffSignInAsync(browser.Page, staff);

        var missing = await PostAsync(browser.Page, $"{path}/participants", ("participant", guest.Id), ("action", "admit"));
        var forged = await PostAsync(browser.Page, $"{path}/participants", ("csrf", "forged-token-forged-token-forged-token"), ("participant", guest.Id), ("action", "admit"));
        var signOut = await PostAsync(browser.Page, $"{host.WebUrl}console/staff/sign-out", ("csrf", "forged-token-forged-token-forged-token"));
        // A tenant user's console cookie (or none) is not a staff sign-in: the organizer's console does not open the staff's.
        var organizerFeed = await stranger.Page.APIRequest.GetAsync($"{host.WebUrl}console/staff", new() { MaxRedirects = 0 });

        Assert.Equal((403, 401, 403, 403, 403, 302), (anonymous.Status, anonymousFeed.Status, missing.Status, forged.Status, signOut.Status, organizerFeed.Status));
        Assert.Contains("Only a signed-in member of the managing partner", await anonymous.TextAsync(), StringComparison.Ordinal);
        Assert.Contains("This form has expired or did not come from the lobby console.", await forged.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(Participant.Types.State.InLobby, (await world.ParticipantAsync(session, guest.Id)).State);
    }

    /// <summary>Posts the issuer's sign-in form for a pending request, as a script would; returns where the issuer redirects.</summary>
    private async Task<string> SignInElsewhereAsync(string request, string username)
    {
        var handler = fixture.Emulator.CreatePinnedHandler();
        handler.AllowAutoRedirect = false;
        using var http = new HttpClient(handler) { BaseAddress = fixture.Emulator.BaseAddress };
        using var answer = await http.PostAsync($"{fixture.Emulator.State.PartnerIssuer}/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["request"] = request,
            ["username"] = username,
            ["password"] = TestEmulator.SignInPassword,
            ["action"] = "accept",
        }));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, answer.StatusCode);
        return answer.Headers.Location!.ToString();
    }

    [Fact]
    public async Task Malformed_or_huge_input_from_a_signed_in_staff_member_is_refused_as_such_and_changes_nothing()
    {
        var (world, session, guest, staff) = await ConsoleWorld.StaffSceneAsync(fixture, "RAOrchestrator.Write");
        await using var browser = await fixture.BrowserAsync();
        await world.StaffSignInAsync(browser.Page, staff);
        var token = await browser.Page.Locator("input[name=csrf]").First.InputValueAsync();
        var tenants = $"{world.Host.WebUrl}console/staff/tenants";
        var path = $"{tenants}/{world.TenantId}/sessions/{SessionId(session)}";

        var huge = await PostAsync(browser.Page, $"{path}/participants", ("csrf", token), ("participant", new string('x', 100_000)), ("action", "admit"));
        var unknownAction = await PostAsync(browser.Page, $"{path}/participants", ("csrf", token), ("participant", guest.Id), ("action", "promote"));
        var badTenant = await PostAsync(browser.Page, $"{tenants}/not-a-tenant/sessions/{SessionId(session)}/participants", ("csrf", token), ("participant", guest.Id), ("action", "admit"));
        var badSession = await PostAsync(browser.Page, $"{tenants}/{world.TenantId}/sessions/{new string('s', 65)}/participants", ("csrf", token), ("participant", guest.Id), ("action", "admit"));
        var unknownParticipant = await PostAsync(browser.Page, $"{path}/participants", ("csrf", token), ("participant", "guest:nobody@oem.example"), ("action", "admit"));
        var badFeed = await browser.Page.APIRequest.GetAsync($"{path}/lobby?after=-1");
        var badFeedTenant = await browser.Page.APIRequest.GetAsync($"{tenants}/not-a-tenant/sessions/{SessionId(session)}/lobby?after=0");

        Assert.Equal((400, 400, 400, 400, 404, 404, 404),
            (huge.Status, unknownAction.Status, badTenant.Status, badSession.Status, unknownParticipant.Status, badFeed.Status, badFeedTenant.Status));
        Assert.Contains("must come from the lobby console", await unknownAction.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(Participant.Types.State.InLobby, (await world.ParticipantAsync(session, guest.Id)).State);
    }

    private static string SessionId(Session session) => session.Name[(session.Name.LastIndexOf('/') + 1)..];

    private static async Task<IAPIResponse> PostAsync(IPage page, string url, params (string Name, string Value)[] fields)
    {
        var form = page.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return await page.APIRequest.PostAsync(url, new() { Form = form, MaxRedirects = 0 });
    }
}
