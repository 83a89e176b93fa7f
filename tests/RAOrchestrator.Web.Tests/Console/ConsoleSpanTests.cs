using Microsoft.Playwright;
using RAOrchestrator.Server.Web;
using RAOrchestrator.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static RAOrchestrator.Web.Tests.Infrastructure.PageSpans;

namespace RAOrchestrator.Web.Tests.Console;

/// <summary>What ops teams see of the lobby console: each click is a span naming what it did, to which session, and why it was refused.</summary>
[Collection(WebCollection.Name)]
public sealed class ConsoleSpanTests(WebFixture fixture)
{
    [Fact]
    public async Task An_admission_and_a_refused_one_are_spans_naming_the_action_the_session_and_the_refusal()
    {
        using var spans = new PageSpans();
        var world = await ConsoleWorld.OnboardAsync(fixture);
        var session = await world.ScheduleAsync("Pump P-17 alignment", ConsoleWorld.Expert);
        await world.GuestJoinsAsync(session, ConsoleWorld.Expert);
        await using var member = await world.ConsoleAsAsync(world.Member);
        await using var organizer = await world.ConsoleAsAsync(world.Organizer);

        // A member who admits for nothing posts the organizer's form anyway (its own form token): refused by the session.
        var form = ConsoleWorld.Lobby(organizer.Page, session).Locator("form").First;
        var participant = await form.Locator("input[name=participant]").GetAttributeAsync("value");
        var token = await member.Page.Locator("input[name=csrf]").First.GetAttributeAsync("value");
        var refused = await member.Page.APIRequest.PostAsync(new Uri(world.ConsoleUri, $"/console/sessions/{session.Name[(session.Name.LastIndexOf('/') + 1)..]}/participants").ToString(),
            new() { Form = member.Page.Context.APIRequest.CreateFormData().Set("csrf", token!).Set("participant", participant!).Set("action", "admit") });
        await organizer.Page.GetByRole(AriaRole.Button, new() { Name = "Admit Erin Expert" }).ClickAsync();
        await Expect(ConsoleWorld.Lobby(organizer.Page, session).GetByRole(AriaRole.Heading, new() { Name = "Admitted (1)" })).ToBeVisibleAsync();

        Assert.Equal(403, refused.Status);
        var admits = spans.Of(session.Name).Where(s => Tag(s, PageActions.ActionTag) == "console.admit").ToArray();
        Assert.Equal(2, admits.Length);
        Assert.Equal<string?>(["NOT_ORGANIZER_OR_ADMITTER", null], admits.Select(s => Tag(s, PageActions.ReasonTag)));
        Assert.NotEmpty(spans.Named("console.show"));
    }
}
