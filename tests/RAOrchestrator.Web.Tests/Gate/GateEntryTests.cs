using System.Net;
using Microsoft.Playwright;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RAOrchestrator.Web.Tests.Gate;

/// <summary>
/// How an admitted guest gets into the meeting through the join page: from the generic session link as well as from
/// an invitation link, and once per admission however the entry is raced.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class GateEntryTests(WebFixture fixture)
{
    [Fact]
    public async Task A_guest_from_the_generic_session_link_is_admitted_and_sent_into_the_meeting()
    {
        var flow = await new GateFlow(fixture).ScheduleAsync();
        var generic = GenericLink(flow);
        await using var browser = await fixture.BrowserAsync();
        var page = browser.Page;

        await page.GotoAsync(generic);
        await page.GetByLabel("Your name, as the host will see it").FillAsync(GateFlow.GuestName);
        await page.GetByLabel("The email address you were invited at").FillAsync(flow.GuestEmail);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask to join" }).ClickAsync();
        await Expect(page.GetByText("Waiting for the host to let you in.")).ToBeVisibleAsync();

        await flow.AdmitAsync();

        var meeting = await GateFlow.InMeetingAsync(browser);
        Assert.Equal($"303 {meeting}", Assert.Single(GateFlow.EnterAnswers(browser)));
        var guest = (await flow.Sessions.GetSessionAsync(new GetSessionRequest { Name = flow.Session.Name, View = SessionView.Full })).Session.Participants.Single(p => p.Kind == Participant.Types.Kind.Anonymous);
        Assert.False(guest.InvitationVerified); // nothing proved the address: the organizer side decided on the name alone
        Assert.Equal(Participant.Types.State.Admitted, guest.State);
    }

    [Fact]
    public async Task Entries_racing_each_other_for_one_admission_get_the_meeting_once()
    {
        var flow = await new GateFlow(fixture).ScheduleAsync();
        await using var browser = await fixture.BrowserAsync();
        await flow.AskToJoinAsync(browser.Page);
        var cookies = string.Join("; ", (await browser.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));
        await browser.Page.GotoAsync("about:blank"); // the waiting page would enter by itself once admitted
        await flow.AdmitAsync();

        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = fixture.Host.WebUrl };
        var enter = "/join/enter?session=" + Uri.EscapeDataString(flow.Session.Name);
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, enter);
            request.Headers.Add("Cookie", cookies);
            using var response = await http.SendAsync(request);
            return (response.StatusCode, Location: response.Headers.Location?.ToString() ?? string.Empty, Body: await response.Content.ReadAsStringAsync());
        }));

        var into = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.SeeOther);
        Assert.StartsWith("https://teams.microsoft.com/", into.Location, StringComparison.Ordinal);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.SeeOther), a =>
        {
            Assert.Equal(HttpStatusCode.Conflict, a.StatusCode);
            Assert.Contains("already used once", a.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("teams.microsoft.com", a.Body, StringComparison.Ordinal);
        });
    }

    /// <summary>The session's own link, without an invitee's address or proof: what an organizer may share anywhere.</summary>
    private static string GenericLink(GateFlow flow)
    {
        var link = flow.InvitationLink;
        var generic = link[..link.IndexOf('&', StringComparison.Ordinal)];
        Assert.Contains("?session=", generic, StringComparison.Ordinal);
        return generic;
    }
}
