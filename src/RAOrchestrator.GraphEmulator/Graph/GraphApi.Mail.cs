using System.Net.Mail;
using System.Text;
using System.Text.Json.Nodes;
using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.GraphEmulator.Graph;

/// <summary>
/// <c>POST /users/{id | userPrincipalName}/sendMail</c> (Graph v1.0) with Exchange Online's refusals: a request over 4 MB
/// first, then the app needs <c>Mail.Send</c>, the sender a mailbox, every recipient a well-formed address. An accepted
/// message (202, no body) lands in the tenant's <see cref="TenantState.Mail"/>.
/// </summary>
public sealed partial class GraphApi
{
    public const string MailSendPermission = "Mail.Send";
    public const int MaxSendMailRequestBytes = 4 * 1024 * 1024;

    private GraphResponse SendMail(GraphRequest r, string userId)
    {
        if (r.Body is not null && Encoding.UTF8.GetByteCount(r.Body.ToJsonString()) > MaxSendMailRequestBytes)
        {
            return GraphResponse.Error(413, "ErrorRequestEntityTooLarge", "The maximum request length supported is 4MB.");
        }

        if (!r.Caller.HasAnyRole(MailSendPermission))
        {
            return GraphResponse.Error(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
        }

        var sender = r.Tenant.FindUser(userId);
        if (sender is null)
        {
            return GraphResponse.Error(404, "ErrorInvalidUser", $"The requested user '{userId}' is invalid.");
        }

        if ((string?)sender["mail"] is not { Length: > 0 } senderAddress || string.Equals((string?)sender["userType"], "Guest", StringComparison.OrdinalIgnoreCase))
        {
            return GraphResponse.Error(404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
        }

        if (Parameter(r, "message") is not JsonObject message)
        {
            return GraphResponse.Error(400, "ErrorInvalidParameter", "The value of the parameter 'Message' is empty.");
        }

        var contentType = (string?)message["body"]?["contentType"] ?? "text";
        if (!string.Equals(contentType, "text", StringComparison.OrdinalIgnoreCase) && !string.Equals(contentType, "html", StringComparison.OrdinalIgnoreCase))
        {
            return GraphResponse.Error(400, "RequestBodyRead", $"Cannot convert the literal '{contentType}' to the expected type 'microsoft.graph.bodyType'.");
        }

        var (to, cc, bcc) = (Recipients(message["toRecipients"]), Recipients(message["ccRecipients"]), Recipients(message["bccRecipients"]));
        if (to.Concat(cc).Concat(bcc).FirstOrDefault(x => !IsWellFormed(x.Address)) is { } bad)
        {
            return GraphResponse.Error(400, "ErrorInvalidRecipients",
                $"At least one recipient is not valid., Recipient '{bad.Address}' is not resolved. All recipients must be resolved before a message can be submitted.");
        }

        if (to.Count + cc.Count + bcc.Count == 0)
        {
            return GraphResponse.Error(400, "ErrorInvalidRecipients", "At least one recipient is not valid., A message can't be sent because it contains no recipients.");
        }

        r.Tenant.Mail.Add(new SentMail(
            Guid.NewGuid().ToString(),
            time.GetUtcNow(),
            (string)sender["id"]!,
            senderAddress,
            to,
            cc,
            bcc,
            (string?)message["subject"] ?? "",
            contentType.ToLowerInvariant(),
            (string?)message["body"]?["content"] ?? "",
            Parameter(r, "saveToSentItems")?.GetValue<bool>() ?? true));
        return new GraphResponse { Status = 202 };
    }

    /// <summary>An action parameter of the request body: Graph reads them in any case (the SDK sends <c>Message</c>, its docs <c>message</c>).</summary>
    private static JsonNode? Parameter(GraphRequest r, string name) =>
        BodyObject(r)?.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static List<MailRecipient> Recipients(JsonNode? recipients) =>
        recipients is JsonArray list
            ? [.. list.Select(x => new MailRecipient((string?)x?["emailAddress"]?["address"] ?? "", (string?)x?["emailAddress"]?["name"]))]
            : [];

    /// <summary>A bare SMTP address (no display name, no spaces) with a domain.</summary>
    private static bool IsWellFormed(string address) =>
        address.Length is > 0 and <= 320 && !address.Any(char.IsWhiteSpace) &&
        MailAddress.TryCreate(address, out var parsed) && parsed.Address == address && parsed.DisplayName.Length == 0 && parsed.Host.Contains('.', StringComparison.Ordinal);
}
