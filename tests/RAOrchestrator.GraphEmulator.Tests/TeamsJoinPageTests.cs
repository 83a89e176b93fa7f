using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Graph;
using Microsoft.Graph.Models;

namespace RAOrchestrator.GraphEmulator.Tests;

/// <summary>
/// What a person sees on opening a meeting's join URL, served by the emulator at Teams' own path
/// (<c>/l/meetup-join/…</c>): the meeting while it exists, a clear "no longer exists" once it was deleted or replaced.
/// </summary>
public sealed class TeamsJoinPageTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private GraphServiceClient Client() => fixture.Server.CreateGraphClient(TestData.TenantA, TestData.AppId, TestData.AppSecret);

    private Task<OnlineMeeting?> MeetingAsync(string subject) =>
        Client().Users[TestData.OrganizerA].OnlineMeetings.PostAsync(new OnlineMeeting { Subject = subject });

    /// <summary>The join URL opened on the emulator: the same path and query, the emulator's host for teams.microsoft.com's.</summary>
    private Task<Page> OpenAsync(string joinUrl, string? name = null) =>
        GetAsync(new Uri(joinUrl).PathAndQuery + (name is null ? string.Empty : "&name=" + Uri.EscapeDataString(name)));

    private async Task<Page> GetAsync(string target)
    {
        using var http = fixture.Server.CreateHttpClient();
        using var response = await http.GetAsync(target);
        return new Page(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    /// <summary>An HTML page with this status whose heading is <paramref name="heading"/> (as HTML).</summary>
    private static string Shows(Page page, HttpStatusCode status, string heading)
    {
        Assert.Equal((status, "text/html"), (page.Status, page.Type));
        Assert.Contains($"<h1>{heading}</h1>", page.Body, StringComparison.Ordinal);
        return page.Body;
    }

    private sealed record Page(HttpStatusCode Status, string? Type, string Body);

    [Fact]
    public async Task A_live_meetings_join_url_shows_the_person_in_the_meeting_with_subject_and_name_escaped()
    {
        var m = await MeetingAsync("Pump <b>P-17</b> & \"valve\"");

        var body = Shows(await OpenAsync(m!.JoinWebUrl!, "Erin <script>alert(1)</script>"), HttpStatusCode.OK,
            "You joined Pump &lt;b&gt;P-17&lt;/b&gt; &amp; &quot;valve&quot; as Erin &lt;script&gt;alert(1)&lt;/script&gt;");

        Assert.Contains("Opened in Teams desktop (emulated).", body, StringComparison.Ordinal);
        Assert.Contains("Company ABC", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_name_the_person_joins_as_guest_and_a_calendar_events_meeting_opens_too()
    {
        var ev = await Client().Users[TestData.OrganizerA].Events.PostAsync(TestData.TeamsEvent("Weekly check"));

        Shows(await OpenAsync(ev!.OnlineMeeting!.JoinUrl!), HttpStatusCode.OK, "You joined Weekly check as Guest");
    }

    [Fact]
    public async Task A_deleted_meetings_join_url_says_the_meeting_no_longer_exists_and_joins_nobody()
    {
        var m = await MeetingAsync("Cancelled visit");
        await Client().Users[TestData.OrganizerA].OnlineMeetings[m!.Id].DeleteAsync();

        var body = Shows(await OpenAsync(m.JoinWebUrl!, "Erin"), HttpStatusCode.NotFound, "This meeting no longer exists");
        Assert.Contains("its link has been replaced by a new one", body, StringComparison.Ordinal);
        Assert.DoesNotContain("joined", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Cancelled visit", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replaced_meetings_old_url_is_gone_while_the_new_one_works()
    {
        // What the service does after a removal: delete the meeting whose URL the removed person knows, make another.
        var old = await MeetingAsync("Alignment");
        await Client().Users[TestData.OrganizerA].OnlineMeetings[old!.Id].DeleteAsync();
        var replacement = await MeetingAsync("Alignment");

        Assert.Equal(HttpStatusCode.NotFound, (await OpenAsync(old.JoinWebUrl!)).Status);
        Assert.Equal(HttpStatusCode.OK, (await OpenAsync(replacement!.JoinWebUrl!)).Status);
    }

    [Fact]
    public async Task An_unknown_meeting_gets_the_same_page_as_a_deleted_one()
    {
        var deleted = await MeetingAsync("Gone");
        await Client().Users[TestData.OrganizerA].OnlineMeetings[deleted!.Id].DeleteAsync();
        var unknown = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_0123456789abcdef0123456789abcdef%40thread.v2/0?context=%7b%7d";

        var body = Shows(await OpenAsync(unknown), HttpStatusCode.NotFound, "This meeting no longer exists");

        Assert.Equal((await OpenAsync(deleted.JoinWebUrl!)).Body, body);
    }

    [Theory]
    [InlineData("/l/meetup-join/not-a-thread/0")]
    [InlineData("/l/meetup-join/19%3ameeting_abc%40thread.v2")]
    [InlineData("/l/meetup-join/19%3ameeting_abc%40thread.v2/0/extra")]
    [InlineData("/l/meetup-join/19%3ameeting_abc%40thread.v2/zero")]
    [InlineData("/l/meetup-join/19%3ameeting_%3Cb%3E%40thread.v2/0")]
    [InlineData("/l/meetup-join/19%3ameeting_abc%40thread.v2/0?name=Erin%0Aforged")]
    public async Task A_malformed_join_url_or_name_is_answered_400_with_a_page_not_a_meeting(string path)
    {
        var body = Shows(await GetAsync(path), HttpStatusCode.BadRequest, "This is not a Teams meeting link");

        Assert.DoesNotContain("<b>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_longer_than_a_name_is_refused()
    {
        var m = await MeetingAsync("Long names");

        var body = Shows(await OpenAsync(m!.JoinWebUrl!, new string('n', 101)), HttpStatusCode.BadRequest, "This is not a Teams meeting link");

        Assert.Contains("at most 100 characters", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a url")]
    [InlineData("https://teams.microsoft.com/l/chat/0/0")]
    [InlineData("http://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0")]
    public async Task The_json_lookup_refuses_what_is_not_a_join_url_with_400(string url)
    {
        using var http = fixture.Server.CreateHttpClient();
        using var response = await http.GetAsync("_emulator/teams/join?url=" + Uri.EscapeDataString(url));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("url must be a Teams meeting join URL", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"], StringComparison.Ordinal);
    }
}
