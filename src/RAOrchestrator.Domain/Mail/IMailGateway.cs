namespace RAOrchestrator.Domain.Mail;

/// <summary>
/// Mail sent from a mailbox of the customer tenant (Microsoft Graph's <c>sendMail</c> behind it), never kept in the
/// mailbox's Sent Items: the messages the service sends carry one-time links and codes. Failures are
/// <see cref="Errors.OrchestratorException"/>s: <see cref="MailReasons.MailSenderNotFound"/> when the sender has no
/// mailbox in the tenant, <c>GRAPH_PERMISSION_DENIED</c> when the app lacks <c>Mail.Send</c>.
/// </summary>
public interface IMailGateway
{
    /// <summary>Sends <paramref name="message"/>; Graph accepts it for delivery (it is not idempotent: a retry sends it again).</summary>
    Task SendAsync(string tenantId, MailMessage message, CancellationToken cancellationToken = default);
}

/// <summary>
/// One HTML mail from <paramref name="Sender"/> (a mailbox of the tenant, by UPN or address) to one recipient.
/// Its body may hold a one-time link or code, so <see cref="ToString"/> leaves it out.
/// </summary>
public sealed record MailMessage(string Sender, string Recipient, string Subject, string HtmlBody)
{
    public override string ToString() => $"MailMessage {{ Sender = {Sender}, Recipient = {Recipient}, Subject = {Subject} }}";
}

/// <summary>Why mail could not be sent.</summary>
public static class MailReasons
{
    /// <summary>The tenant's configured sender is not a mailbox of the tenant (no such user, or a user without a mailbox).</summary>
    public const string MailSenderNotFound = "MAIL_SENDER_NOT_FOUND";

    /// <summary>The permission <c>sendMail</c> needs, as an application permission with admin consent.</summary>
    public const string SendPermission = "Mail.Send";
}
