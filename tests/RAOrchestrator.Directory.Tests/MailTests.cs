using System.Text.Json.Nodes;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Mail;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.GraphEmulator.Graph;
using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.GraphEmulator.Tokens;

namespace RAOrchestrator.Directory.Tests;

/// <summary>The gateway tenants with Mail.Send granted to the app in the customer tenant, which also has a user without a mailbox.</summary>
public sealed class MailFixture : IAsyncLifetime
{
    public const string Sender = $"hanna@{Gateways.Domain}";
    public const string NoMailbox = $"nomailbox@{Gateways.Domain}";

    public GraphEmulatorServer Emulator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var data = Gateways.Data();
        var customer = data.Tenants.Single(t => t.Id == Gateways.Customer);
        customer.AppPermissions = new() { [Gateways.AppId] = [.. TokenIssuer.GraphRoles, GraphApi.MailSendPermission] };
        customer.Users.Add(new JsonObject { ["displayName"] = "No Mailbox", ["userPrincipalName"] = NoMailbox, ["mailNickname"] = "nomailbox" });
        Emulator = await Gateways.StartEmulatorAsync(data);
    }

    public async Task DisposeAsync() => await Emulator.DisposeAsync();
}

public sealed class MailTests(MailFixture fixture) : IClassFixture<MailFixture>
{
    private GraphDirectoryGateway Gateway => Gateways.For(fixture.Emulator).Gateway;

    private static MailMessage Message(string to, string sender = MailFixture.Sender, string body = "<p>Your link: https://raorch.test/p/abc</p>") =>
        new(sender, to, "Your sign-in pass", body);

    private IReadOnlyList<SentMail> SentTo(string to)
    {
        lock (fixture.Emulator.State.Sync)
        {
            return fixture.Emulator.State.GetTenant(Gateways.Customer).Mail.List(to);
        }
    }

    [Fact]
    public async Task A_message_is_sent_as_HTML_to_its_one_recipient_and_not_kept_in_Sent_Items()
    {
        await Gateway.SendAsync(Gateways.Customer, Message("erin@vendor.example"));

        var sent = Assert.Single(SentTo("erin@vendor.example"));
        Assert.Equal((MailFixture.Sender, "Your sign-in pass", "html", "<p>Your link: https://raorch.test/p/abc</p>"), (sent.Sender, sent.Subject, sent.ContentType, sent.Content));
        Assert.Equal("erin@vendor.example", Assert.Single(sent.To).Address);
        Assert.Empty(sent.Cc.Concat(sent.Bcc));
        Assert.False(sent.SaveToSentItems);
    }

    [Fact]
    public async Task An_app_without_Mail_Send_is_GRAPH_PERMISSION_DENIED_naming_the_permission()
    {
        var refused = await Assert.ThrowsAsync<OrchestratorException>(() =>
            Gateway.SendAsync(Gateways.NoPolicy, Message("x@vendor.example", sender: "olga@nopolicy.example")));

        Assert.Equal((ErrorKind.FailedPrecondition, GraphErrors.GraphPermissionDenied), (refused.Kind, refused.Reason));
        Assert.Contains(MailReasons.SendPermission, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MailFixture.NoMailbox)]
    [InlineData($"nobody@{Gateways.Domain}")]
    public async Task A_sender_that_is_no_mailbox_of_the_tenant_is_MAIL_SENDER_NOT_FOUND_on_mail_sender(string sender)
    {
        var refused = await Assert.ThrowsAsync<OrchestratorException>(() => Gateway.SendAsync(Gateways.Customer, Message("x@vendor.example", sender)));

        Assert.Equal((ErrorKind.FailedPrecondition, MailReasons.MailSenderNotFound), (refused.Kind, refused.Reason));
        Assert.Contains(sender, refused.Message, StringComparison.Ordinal);
        Assert.Contains("configure a mailbox of the tenant as the tenant's mail sender", refused.Message, StringComparison.Ordinal);
        Assert.Equal(GraphDirectoryGateway.MailSenderField, Assert.Single(refused.Violations).Field);
    }

    [Fact]
    public async Task The_body_is_in_no_log_line_trace_or_error_even_at_debug()
    {
        const string Secret = "one-time-code-7Q4ZK2";
        using var telemetry = new CapturedTelemetry();
        var gateway = Gateways.For(fixture.Emulator, logs: telemetry.Logs).Gateway;

        await gateway.SendAsync(Gateways.Customer, Message("secret@vendor.example", body: $"<p>{Secret}</p>"));
        var noMailbox = await Assert.ThrowsAsync<OrchestratorException>(() =>
            gateway.SendAsync(Gateways.Customer, Message("secret@vendor.example", MailFixture.NoMailbox, $"<p>{Secret}</p>")));
        var badRecipient = await Assert.ThrowsAsync<OrchestratorException>(() => gateway.SendAsync(Gateways.Customer, Message("not an address", body: $"<p>{Secret}</p>")));

        Assert.Equal(GraphErrors.GraphRejected, badRecipient.Reason);
        Assert.Contains(telemetry.Written, w => w.Contains("graph.send_mail", StringComparison.Ordinal));
        Assert.DoesNotContain(telemetry.Written, w => w.Contains(Secret, StringComparison.Ordinal));
        Assert.All(new[] { noMailbox, badRecipient }, e => Assert.DoesNotContain(Secret, e.ToString(), StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, Message("x@vendor.example", body: Secret).ToString(), StringComparison.Ordinal);
    }
}
