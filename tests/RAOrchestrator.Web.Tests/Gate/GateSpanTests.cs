using System.Collections.Concurrent;
using System.Diagnostics;
using RAOrchestrator.Server.Web;
using RAOrchestrator.Web.Tests.Infrastructure;

namespace RAOrchestrator.Web.Tests.Gate;

/// <summary>What ops teams see of the join page: a span per page action, with its session and the reason of a refusal.</summary>
[Collection(WebCollection.Name)]
public sealed class GateSpanTests(WebFixture fixture)
{
    [Fact]
    public async Task Each_join_page_action_is_a_span_naming_the_action_its_session_and_why_it_was_refused()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var flow = await new GateFlow(fixture).ScheduleAsync();
        await using var browser = await fixture.BrowserAsync();

        await flow.AskToJoinAsync(browser.Page);
        using var http = new HttpClient { BaseAddress = fixture.Host.WebUrl };
        using var enter = await http.GetAsync("/join/enter?session=" + Uri.EscapeDataString(flow.Session.Name)); // no attempt cookie
        await browser.Page.GotoAsync("about:blank"); // closes the live updates, whose request then ends
        for (var i = 0; i < 100 && !spans.Any(s => s.GetTagItem(PageActions.ActionTag) as string == "gate.events"); i++)
        {
            await Task.Delay(100);
        }

        var guest = spans.Where(s => s.GetTagItem(PageActions.SessionTag) as string == flow.Session.Name && s.GetTagItem(PageActions.ActionTag) as string != "gate.enter").ToArray();
        Assert.Equal(["gate.show", "gate.join", "gate.wait", "gate.events"], guest.Select(s => (string)s.GetTagItem(PageActions.ActionTag)!).ToArray());
        Assert.All(guest, s => Assert.Null(s.GetTagItem(PageActions.ReasonTag)));

        // Without the attempt's cookie the entry is refused: the span says which session, and why.
        var refused = Assert.Single(spans, s => s.GetTagItem(PageActions.ActionTag) as string == "gate.enter");
        Assert.Equal(flow.Session.Name, refused.GetTagItem(PageActions.SessionTag));
        Assert.Equal("NOT_FOUND", refused.GetTagItem(PageActions.ReasonTag));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, enter.StatusCode);
    }
}
