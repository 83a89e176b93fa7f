using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.SendMail;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Mail;

namespace RAOrchestrator.Directory;

/// <summary>
/// <see cref="IMailGateway"/>: Graph v1.0 <c>sendMail</c> from a mailbox of the tenant, never kept in its Sent Items. The
/// body travels only in the request, which neither the SDK's handlers nor ours log or trace; no error message quotes it.
/// </summary>
public sealed partial class GraphDirectoryGateway : IMailGateway
{
    /// <summary>The field of the tenant's settings that names the sender mailbox, named by a refusal's field violation.</summary>
    public const string MailSenderField = "mail_sender";

    public Task SendAsync(string tenantId, MailMessage message, CancellationToken cancellationToken = default) =>
        RunAsync(tenantId, "send_mail", async () =>
        {
            try
            {
                await Graph(tenantId).Users[message.Sender].SendMail.PostAsync(new SendMailPostRequestBody
                {
                    Message = new Message
                    {
                        Subject = message.Subject,
                        Body = new ItemBody { ContentType = BodyType.Html, Content = message.HtmlBody },
                        ToRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = message.Recipient } }],
                    },
                    SaveToSentItems = false,
                }, cancellationToken: cancellationToken);
                return true;
            }
            catch (ODataError error) when (error.ResponseStatusCode == 403)
            {
                throw SignInPassErrors.PermissionMissing(tenantId, MailReasons.SendPermission);
            }
            catch (ODataError error) when (error.ResponseStatusCode == 404)
            {
                throw SenderNotFound(tenantId, message.Sender);
            }
        });

    private static OrchestratorException SenderNotFound(string tenantId, string sender) =>
        new(ErrorKind.FailedPrecondition, MailReasons.MailSenderNotFound,
            $"The mail sender {OrchestratorException.Quote(sender)} is not a mailbox of tenant {tenantId} (no such user, or a user without an Exchange Online mailbox); configure a mailbox of the tenant as the tenant's mail sender.",
            [new FieldViolation(MailSenderField, $"{OrchestratorException.Quote(sender)} has no mailbox in tenant {tenantId}; name a user of the tenant with an Exchange Online mailbox.")]);
}
