using System.Text.Json.Nodes;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace RAOrchestrator.GraphEmulator.Tests;

public sealed class MeetingTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private GraphServiceClient Client(string tenant = TestData.TenantA) =>
        fixture.Server.CreateGraphClient(tenant, TestData.AppId, TestData.AppSecret);

    [Fact]
    public async Task Event_with_teams_meeting_returns_join_url_and_sends_invitations()
    {
        var ev = await Client().Users[TestData.OrganizerA].Events.PostAsync(TestData.TeamsEvent("Pump inspection",
            new Attendee { EmailAddress = new EmailAddress { Address = "erin.expert@litware.example", Name = "Erin" }, Type = AttendeeType.Required },
            new Attendee { EmailAddress = new EmailAddress { Address = "tech@companyabc.test" }, Type = AttendeeType.Optional }));
        Assert.NotNull(ev?.Id);
        Assert.True(ev!.IsOnlineMeeting);
        Assert.StartsWith("https://teams.microsoft.com/l/meetup-join/", ev.OnlineMeeting?.JoinUrl);
        Assert.Equal(TestData.OrganizerA, ev.Organizer?.EmailAddress?.Address);

        using var http = fixture.Server.CreateHttpClient();
        var outbox = JsonNode.Parse(await http.GetStringAsync($"_emulator/tenants/{TestData.TenantA}/outbox"))!["value"]!.AsArray();
        var mine = outbox.Where(m => (string?)m!["eventId"] == ev.Id).ToList();
        Assert.Equal(2, mine.Count);
        Assert.Contains(mine, m => (string?)m!["to"] == "erin.expert@litware.example");
        Assert.All(mine, m =>
        {
            Assert.Equal(ev.OnlineMeeting!.JoinUrl, (string?)m!["joinUrl"]);
            Assert.Equal("Pump inspection", (string?)m["subject"]);
            Assert.Equal(TestData.OrganizerA, (string?)m["organizer"]);
        });
    }

    [Fact]
    public async Task A_join_url_works_while_its_meeting_exists_and_is_refused_once_it_is_deleted()
    {
        var m = await Client().Users[TestData.OrganizerA].OnlineMeetings.PostAsync(new OnlineMeeting
        {
            Subject = "Short-lived",
            StartDateTime = DateTimeOffset.UtcNow.AddDays(1),
            EndDateTime = DateTimeOffset.UtcNow.AddDays(1).AddHours(1),
        });
        using var http = fixture.Server.CreateHttpClient();
        var open = "_emulator/teams/join?url=" + Uri.EscapeDataString(m!.JoinWebUrl!);

        using (var live = await http.GetAsync(open))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
            Assert.Equal(m.Id, (string?)JsonNode.Parse(await live.Content.ReadAsStringAsync())!["meetingId"]);
        }

        await Client().Users[TestData.OrganizerA].OnlineMeetings[m.Id].DeleteAsync();

        using var gone = await http.GetAsync(open);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData("organizer")]
    [InlineData("organization")]
    [InlineData("organizationAndFederated")]
    [InlineData("everyone")]
    public async Task Online_meeting_accepts_each_lobby_scope(string scope)
    {
        var parsed = Enum.GetValues<LobbyBypassScope>().Single(v => string.Equals(v.ToString(), scope, StringComparison.OrdinalIgnoreCase));
        var m = await Client().Users[TestData.OrganizerA].OnlineMeetings.PostAsync(new OnlineMeeting
        {
            Subject = "Lobby " + scope,
            StartDateTime = DateTimeOffset.UtcNow.AddDays(1),
            EndDateTime = DateTimeOffset.UtcNow.AddDays(1).AddHours(1),
            LobbyBypassSettings = new LobbyBypassSettings { Scope = parsed, IsDialInBypassEnabled = true },
            AllowedPresenters = OnlineMeetingPresenters.Organizer,
            AllowedLobbyAdmitters = AllowedLobbyAdmitterRoles.OrganizerAndCoOrganizers,
        });
        Assert.Equal(parsed, m!.LobbyBypassSettings?.Scope);
        Assert.True(m.LobbyBypassSettings?.IsDialInBypassEnabled);
        Assert.Equal(OnlineMeetingPresenters.Organizer, m.AllowedPresenters);
        Assert.Equal(AllowedLobbyAdmitterRoles.OrganizerAndCoOrganizers, m.AllowedLobbyAdmitters);
        Assert.StartsWith("https://teams.microsoft.com/l/meetup-join/", m.JoinWebUrl);

        var got = await Client().Users[TestData.OrganizerA].OnlineMeetings[m.Id].GetAsync();
        Assert.Equal(m.JoinWebUrl, got!.JoinWebUrl);
    }

    [Theory]
    [InlineData(LobbyBypassScope.Invited)]
    [InlineData(LobbyBypassScope.OrganizationExcludingGuests)]
    public async Task Evolvable_lobby_scopes_need_the_prefer_header(LobbyBypassScope scope)
    {
        // A fresh body per call: the SDK's backing store sends only changed values the second time.
        OnlineMeeting Body() => new() { Subject = "Evolvable", LobbyBypassSettings = new LobbyBypassSettings { Scope = scope } };
        var users = Client().Users[TestData.OrganizerA].OnlineMeetings;

        var e = await Assert.ThrowsAsync<ODataError>(() => users.PostAsync(Body()));
        Assert.Equal(400, e.ResponseStatusCode);

        var m = await users.PostAsync(Body(), r => r.Headers.Add("Prefer", "include-unknown-enum-members"));
        Assert.Equal(scope, m!.LobbyBypassSettings?.Scope);

        // Read back without the header: Graph shows unknownFutureValue.
        var plain = await users[m.Id].GetAsync();
        Assert.Equal(LobbyBypassScope.UnknownFutureValue, plain!.LobbyBypassSettings?.Scope);
    }

    [Fact]
    public async Task Patch_changes_lobby_and_keeps_join_url()
    {
        var meetings = Client().Users[TestData.OrganizerA].OnlineMeetings;
        var m = await meetings.PostAsync(new OnlineMeeting { Subject = "Patch me" });
        Assert.Equal(LobbyBypassScope.Organization, m!.LobbyBypassSettings?.Scope); // from AutoAdmittedUsers=EveryoneInCompany
        var patched = await meetings[m.Id].PatchAsync(new OnlineMeeting
        {
            LobbyBypassSettings = new LobbyBypassSettings { Scope = LobbyBypassScope.Everyone },
            JoinWebUrl = "https://evil.example/",
        });
        Assert.Equal(LobbyBypassScope.Everyone, patched!.LobbyBypassSettings?.Scope);
        Assert.Equal(m.JoinWebUrl, patched.JoinWebUrl);
    }

    [Fact]
    public async Task Online_meeting_without_application_access_policy_is_forbidden()
    {
        var e = await Assert.ThrowsAsync<ODataError>(() =>
            Client(TestData.TenantNoPolicy).Users["paul@nopolicy.onmicrosoft.com"].OnlineMeetings.PostAsync(new OnlineMeeting { Subject = "x" }));
        Assert.Equal(403, e.ResponseStatusCode);
        Assert.Equal("Forbidden", e.Error?.Code);
        Assert.Contains("No application access policy", e.Error?.Message);

        // Granting it through the admin endpoint lets the same call through.
        using var http = fixture.Server.CreateHttpClient();
        (await http.PutAsync($"_emulator/tenants/{TestData.TenantNoPolicy}/app-access-policies/{TestData.AppId}", null)).EnsureSuccessStatusCode();
        var m = await Client(TestData.TenantNoPolicy).Users["paul@nopolicy.onmicrosoft.com"].OnlineMeetings.PostAsync(new OnlineMeeting { Subject = "x" });
        Assert.NotNull(m?.JoinWebUrl);
        (await http.DeleteAsync($"_emulator/tenants/{TestData.TenantNoPolicy}/app-access-policies/{TestData.AppId}")).EnsureSuccessStatusCode();
    }
}
