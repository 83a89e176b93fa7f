using System.Globalization;
using System.Text.Json.Nodes;

namespace RAOrchestrator.GraphEmulator.State;

/// <summary>One address of a message's recipients, as Graph's <c>emailAddress</c>.</summary>
public sealed record MailRecipient(string Address, string? Name);

/// <summary>
/// A message a tenant's mailbox sent through Graph's <c>sendMail</c>. <see cref="SaveToSentItems"/>: Graph also kept a
/// copy in the sender's Sent Items (its default when the request does not say).
/// </summary>
public sealed record SentMail(
    string Id,
    DateTimeOffset SentAt,
    string SenderUserId,
    string Sender,
    IReadOnlyList<MailRecipient> To,
    IReadOnlyList<MailRecipient> Cc,
    IReadOnlyList<MailRecipient> Bcc,
    string Subject,
    string ContentType,
    string Content,
    bool SaveToSentItems)
{
    /// <summary>True when <paramref name="address"/> (any case) is one of the To, Cc or Bcc recipients.</summary>
    public bool IsAddressedTo(string address) =>
        To.Concat(Cc).Concat(Bcc).Any(r => string.Equals(r.Address, address, StringComparison.OrdinalIgnoreCase));

    /// <summary>Leaves the recipients and content out: the content may hold a one-time link or code.</summary>
    public override string ToString() => $"SentMail {{ Id = {Id}, Sender = {Sender}, Subject = {Subject} }}";

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["sentDateTime"] = SentAt.UtcDateTime.ToString("o", CultureInfo.InvariantCulture),
        ["senderUserId"] = SenderUserId,
        ["sender"] = Sender,
        ["toRecipients"] = Addresses(To),
        ["ccRecipients"] = Addresses(Cc),
        ["bccRecipients"] = Addresses(Bcc),
        ["subject"] = Subject,
        ["contentType"] = ContentType,
        ["content"] = Content,
        ["saveToSentItems"] = SaveToSentItems,
    };

    private static JsonArray Addresses(IReadOnlyList<MailRecipient> recipients) =>
        new([.. recipients.Select(r => (JsonNode?)new JsonObject { ["address"] = r.Address, ["name"] = r.Name })]);
}

/// <summary>
/// A tenant's mailbox log: the newest <see cref="Capacity"/> messages its mailboxes sent, oldest first. Guarded by
/// <see cref="EmulatorState.Sync"/> like the rest of the tenant.
/// </summary>
public sealed class MailLog
{
    public const int Capacity = 1000;

    private readonly LinkedList<SentMail> _messages = new();

    public int Count => _messages.Count;

    public void Add(SentMail message)
    {
        _messages.AddLast(message);
        while (_messages.Count > Capacity)
        {
            _messages.RemoveFirst();
        }
    }

    /// <summary>The messages, oldest first; with <paramref name="to"/>, only those addressed to it (any case).</summary>
    public IReadOnlyList<SentMail> List(string? to = null) =>
        [.. _messages.Where(m => string.IsNullOrEmpty(to) || m.IsAddressedTo(to))];

    public void Clear() => _messages.Clear();
}
