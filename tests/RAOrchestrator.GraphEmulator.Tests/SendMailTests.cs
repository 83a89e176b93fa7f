using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.SendMail;
using RAOrchestrator.GraphEmulator.Graph;
using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.GraphEmulator.Tokens;

namespace RAOrchestrator.GraphEmulator.Tests;

/// <summary>The test data with Mail.Send granted in tenant A, whose users include one without a mailbox and a guest.</summary>
public sealed class SendMailFixture : IAsyncLifetime
{
    public const string NoMailbox = "nomailbox@companyabc.test";
    public const string Guest = "guest_vendor.example#EXT#@companyabc.onmicrosoft.com";

    public GraphEmulatorServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var data = TestData.Build();
        var tenant = data.Tenants.Single(t => t.Id == TestData.TenantA);
        tenant.AppPermissions = new() { [TestData.AppId] = [.. TokenIssuer.GraphRoles, GraphApi.MailSendPermission] };
        tenant.Users.Add(new JsonObject { ["displayName"] = "No Mailbox", ["userPrincipalName"] = NoMailbox, ["mailNickname"] = "nomailbox" });
        tenant.Users.Add(new JsonObject { ["displayName"] = "Guest", ["userPrincipalName"] = Guest, ["mail"] = "guest@vendor.example", ["mailNickname"] = "guest", ["userType"] = "Guest" });
        Server = await GraphEmulatorServer.StartAsync(new GraphEmulatorOptions { Data = data });
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class SendMailTests(SendMailFixture fixture) : IClassFixture<SendMailFixture>
{
    private GraphServiceClient Client(string tenant = TestData.TenantA) => fixture.Server.CreateGraphClient(tenant, TestData.AppId, TestData.AppSecret);

    private static SendMailPostRequestBody Mail(string to, string subject = "Your sign-in link", string content = "<p>Open <a href=\"https://x.test/l/1\">the link</a></p>",
        bool? saveToSentItems = false) => new()
        {
            Message = new Message
            {
                Subject = subject,
                Body = new ItemBody { ContentType = BodyType.Html, Content = content },
                ToRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = to, Name = "Erin Expert" } }],
            },
            SaveToSentItems = saveToSentItems,
        };

    private async Task<JsonArray> MailLogAsync(string? to = null)
    {
        using var http = fixture.Server.CreateHttpClient();
        var query = to is null ? "" : "?to=" + Uri.EscapeDataString(to);
        return JsonNode.Parse(await http.GetStringAsync($"_emulator/tenants/{TestData.TenantA}/mail{query}"))!["value"]!.AsArray();
    }

    [Fact]
    public async Task An_accepted_message_is_in_the_tenants_mail_log_with_its_sender_recipient_and_body()
    {
        var counted = SendMailRequests();

        await Client().Users[TestData.OrganizerA].SendMail.PostAsync(Mail("erin@vendor.example"));

        var sent = Assert.Single(await MailLogAsync("erin@vendor.example"))!;
        Assert.Equal(TestData.OrganizerA, (string?)sent["sender"]);
        Assert.Equal("0a000000-0000-4000-8000-000000000001", (string?)sent["senderUserId"]);
        Assert.Equal("erin@vendor.example", (string?)sent["toRecipients"]![0]!["address"]);
        Assert.Equal("Erin Expert", (string?)sent["toRecipients"]![0]!["name"]);
        Assert.Equal(("Your sign-in link", "html"), ((string?)sent["subject"], (string?)sent["contentType"]));
        Assert.Equal("<p>Open <a href=\"https://x.test/l/1\">the link</a></p>", (string?)sent["content"]);
        Assert.False((bool)sent["saveToSentItems"]!);
        Assert.True(Guid.TryParse((string?)sent["id"], out _));
        Assert.True(DateTimeOffset.Parse((string)sent["sentDateTime"]!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal(counted + 1, SendMailRequests());
    }

    private long SendMailRequests() =>
        fixture.Server.State.Counters.ForTenant(TestData.TenantA).Endpoints.GetValueOrDefault("POST /users/{id}/sendMail")?.Requests ?? 0;

    [Fact]
    public async Task Graph_answers_202_with_no_body()
    {
        using var http = fixture.Server.CreateHttpClient();
        var token = (await fixture.Server.CreateCredential(TestData.TenantA, TestData.AppId, TestData.AppSecret)
            .GetTokenAsync(new Azure.Core.TokenRequestContext(["https://graph.microsoft.com/.default"]), default)).Token;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1.0/users/{TestData.OrganizerA}/sendMail")
        {
            Content = new StringContent("""{"message":{"subject":"s","body":{"contentType":"Text","content":"c"},"toRecipients":[{"emailAddress":{"address":"raw@vendor.example"}}]}}""",
                System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", token);

        using var answer = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Empty(await answer.Content.ReadAsByteArrayAsync());
        Assert.Equal("text", (string?)Assert.Single(await MailLogAsync("raw@vendor.example"))!["contentType"]);
    }

    [Fact]
    public async Task Without_saveToSentItems_the_message_is_kept_in_Sent_Items_as_Graph_does_by_default()
    {
        await Client().Users[TestData.OrganizerA].SendMail.PostAsync(Mail("kept@vendor.example", saveToSentItems: null));

        Assert.True((bool)Assert.Single(await MailLogAsync("kept@vendor.example"))!["saveToSentItems"]!);
    }

    [Fact]
    public async Task An_app_without_Mail_Send_is_refused_with_ErrorAccessDenied()
    {
        var e = await Assert.ThrowsAsync<ODataError>(() => Client(TestData.TenantNoPolicy).Users["paul@nopolicy.onmicrosoft.com"].SendMail.PostAsync(Mail("denied@vendor.example")));

        Assert.Equal((403, "ErrorAccessDenied"), (e.ResponseStatusCode, e.Error?.Code));
    }

    [Fact]
    public async Task An_unknown_sender_is_ErrorInvalidUser()
    {
        var e = await Assert.ThrowsAsync<ODataError>(() => Client().Users["nobody@companyabc.test"].SendMail.PostAsync(Mail("x@vendor.example")));

        Assert.Equal((404, "ErrorInvalidUser"), (e.ResponseStatusCode, e.Error?.Code));
        Assert.Contains("nobody@companyabc.test", e.Error?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SendMailFixture.NoMailbox)]
    [InlineData(SendMailFixture.Guest)]
    public async Task A_sender_without_a_mailbox_is_MailboxNotEnabledForRESTAPI(string sender)
    {
        var e = await Assert.ThrowsAsync<ODataError>(() => Client().Users[sender].SendMail.PostAsync(Mail("x@vendor.example")));

        Assert.Equal((404, "MailboxNotEnabledForRESTAPI"), (e.ResponseStatusCode, e.Error?.Code));
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("Erin <erin@vendor.example>")]
    [InlineData("erin@localhost")]
    [InlineData("")]
    public async Task A_malformed_recipient_is_ErrorInvalidRecipients(string to)
    {
        var e = await Assert.ThrowsAsync<ODataError>(() => Client().Users[TestData.OrganizerA].SendMail.PostAsync(Mail(to)));

        Assert.Equal((400, "ErrorInvalidRecipients"), (e.ResponseStatusCode, e.Error?.Code));
    }

    [Fact]
    public async Task A_message_without_recipients_is_ErrorInvalidRecipients()
    {
        var mail = Mail("x@vendor.example");
        mail.Message!.ToRecipients = [];

        var e = await Assert.ThrowsAsync<ODataError>(() => Client().Users[TestData.OrganizerA].SendMail.PostAsync(mail));

        Assert.Equal((400, "ErrorInvalidRecipients"), (e.ResponseStatusCode, e.Error?.Code));
    }

    [Fact]
    public async Task A_request_over_4_MB_is_refused_and_not_logged()
    {
        var e = await Assert.ThrowsAsync<ODataError>(() =>
            Client().Users[TestData.OrganizerA].SendMail.PostAsync(Mail("big@vendor.example", content: new string('x', GraphApi.MaxSendMailRequestBytes))));

        Assert.Equal(413, e.ResponseStatusCode);
        Assert.Empty(await MailLogAsync("big@vendor.example"));
    }

    [Fact]
    public async Task The_to_filter_finds_To_Cc_and_Bcc_recipients_in_any_case()
    {
        var mail = Mail("first@vendor.example", subject: "filtered");
        mail.Message!.CcRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = "Copy@Vendor.Example" } }];
        mail.Message.BccRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = "hidden@vendor.example" } }];
        await Client().Users[TestData.OrganizerA].SendMail.PostAsync(mail);
        await Client().Users[TestData.OrganizerA].SendMail.PostAsync(Mail("other@vendor.example", subject: "other"));

        Assert.Equal("filtered", (string?)Assert.Single(await MailLogAsync("FIRST@vendor.example"))!["subject"]);
        Assert.Equal("filtered", (string?)Assert.Single(await MailLogAsync("copy@vendor.example"))!["subject"]);
        Assert.Equal("filtered", (string?)Assert.Single(await MailLogAsync("hidden@vendor.example"))!["subject"]);
        Assert.Empty(await MailLogAsync("nobody@vendor.example"));
    }

    [Fact]
    public async Task Delete_clears_the_mail_log_and_leaves_the_invitation_outbox_alone()
    {
        await Client().Users[TestData.OrganizerA].SendMail.PostAsync(Mail("cleared@vendor.example"));
        await Client().Users[TestData.OrganizerA].Events.PostAsync(TestData.TeamsEvent("Kept invitation",
            new Attendee { EmailAddress = new EmailAddress { Address = "invited@vendor.example" }, Type = AttendeeType.Required }));
        using var http = fixture.Server.CreateHttpClient();

        using var cleared = await http.DeleteAsync($"_emulator/tenants/{TestData.TenantA}/mail");

        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Empty(await MailLogAsync());
        var outbox = JsonNode.Parse(await http.GetStringAsync($"_emulator/tenants/{TestData.TenantA}/outbox"))!["value"]!.AsArray();
        Assert.Contains(outbox, m => (string?)m!["to"] == "invited@vendor.example");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("_emulator/tenants/no-such-tenant/mail")).StatusCode);
    }

    [Fact]
    public async Task In_the_demo_data_Company_ABC_sends_from_its_remote_assist_mailbox_and_Litware_lacks_Mail_Send()
    {
        const string App = "6c1f3e2a-8d4b-4f0e-9a7c-2b5d8e1f4a90";
        const string Secret = "emulator-msp-app-secret";
        await using var demo = await GraphEmulatorServer.StartAsync(new GraphEmulatorOptions { DataFile = Path.Combine(AppContext.BaseDirectory, "Data", "demo-tenants.json") });

        await demo.CreateGraphClient("companyabc.com", App, Secret).Users["remote-assist@companyabc.com"].SendMail.PostAsync(Mail("erin@vendor.example"));
        var refused = await Assert.ThrowsAsync<ODataError>(() =>
            demo.CreateGraphClient("litware.example", App, Secret).Users["erin.expert@litware.example"].SendMail.PostAsync(Mail("x@vendor.example")));

        lock (demo.State.Sync)
        {
            Assert.Equal("remote-assist@companyabc.com", Assert.Single(demo.State.GetTenant("companyabc.com").Mail.List()).Sender);
        }
        Assert.Equal(403, refused.ResponseStatusCode);
    }

    [Fact]
    public void The_log_keeps_the_newest_messages_only()
    {
        var log = new MailLog();
        for (var i = 0; i <= MailLog.Capacity; i++)
        {
            log.Add(new SentMail($"m{i}", DateTimeOffset.UnixEpoch, "u", "s@x.test", [new MailRecipient("r@x.test", null)], [], [], $"#{i}", "text", "", false));
        }

        var kept = log.List();
        Assert.Equal(MailLog.Capacity, kept.Count);
        Assert.Equal(("m1", $"m{MailLog.Capacity}"), (kept[0].Id, kept[^1].Id));
    }
}
