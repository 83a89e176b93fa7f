using System.Net;
using RAOrchestrator.Server.Web;
using RAOrchestrator.Web.Tests.Infrastructure;
using static RAOrchestrator.Web.Tests.Infrastructure.PageSpans;

namespace RAOrchestrator.Web.Tests.Gate;

/// <summary>What ops teams see of the join page: a span per page action, with its session and the reason of a refusal.</summary>
[Collection(WebCollection.Name)]
public sealed class GateSpanTests(WebFixture fixture)
{
    [Fact]
    public async Task Each_join_page_action_is_a_span_naming_the_action_its_session_and_why_it_was_refused()
    {
        using var spans = new PageSpans();
        var flow = await new GateFlow(fixture).ScheduleAsync();
        await using var browser = await fixture.BrowserAsync();

        await flow.AskToJoinAsync(browser.Page);
        using var http = new HttpClient { BaseAddress = fixture.Host.WebUrl };
        using var enter = await http.GetAsync("/join/enter?session=" + Uri.EscapeDataString(flow.Session.Name)); // no attempt cookie
        await browser.Page.GotoAsync("about:blank"); // closes the live updates, whose request then ends
        await spans.EndedAsync("gate.events");

        var guest = spans.Of(flow.Session.Name).Where(s => Tag(s, PageActions.ActionTag) != "gate.enter").ToArray();
        Assert.Equal<string?>(["gate.show", "gate.join", "gate.wait", "gate.events"], guest.Select(s => Tag(s, PageActions.ActionTag)));
        Assert.All(guest, s => Assert.Null(Tag(s, PageActions.ReasonTag)));

        // Without the attempt's cookie the entry is refused: the span says which session, and why.
        var refused = Assert.Single(spans.Named("gate.enter"));
        Assert.Equal(flow.Session.Name, Tag(refused, PageActions.SessionTag));
        Assert.Equal("NOT_FOUND", Tag(refused, PageActions.ReasonTag));
        Assert.Equal(HttpStatusCode.NotFound, enter.StatusCode);
    }
}
