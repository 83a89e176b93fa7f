using Google.Protobuf.WellKnownTypes;
using RAOrchestrator.Abstractions.ServiceAccounts;
using RAOrchestrator.Contracts.V1;
using Delivery = RAOrchestrator.Contracts.V1.IssueSignInPassRequest.Types.Delivery;

namespace RAOrchestrator.Server.Mapping;

/// <summary>Sign-in passes on the wire: the account's timeline (expired derived on read) and the issue's answer.</summary>
public static class SignInPassMapping
{
    public static Delivery ToProto(PassDelivery delivery) => delivery == PassDelivery.Return ? Delivery.Return : Delivery.Mail;

    /// <summary>The timeline, oldest first: a pass is expired once its expiry passed or a later pass replaced it.</summary>
    public static IEnumerable<SignInPassRecord> Timeline(IReadOnlyList<IssuedPassRecord> records, DateTimeOffset now) =>
        records.Select((record, i) =>
        {
            var replaced = i < records.Count - 1;
            return new SignInPassRecord
            {
                IssueTime = Timestamp.FromDateTimeOffset(record.IssueTime),
                ExpireTime = Timestamp.FromDateTimeOffset(record.ExpireTime),
                Delivery = ToProto(record.Delivery),
                UsableOnce = record.UsableOnce,
                Replaced = replaced,
                Expired = replaced || record.ExpireTime <= now,
                MailTime = record.MailTime is { } mailed ? Timestamp.FromDateTimeOffset(mailed) : null,
                ViewTime = record.ViewTime is { } viewed ? Timestamp.FromDateTimeOffset(viewed) : null,
            };
        });

    public static IssueSignInPassResponse ToProto(SignInPassAnswer answer) => new()
    {
        UserPrincipalName = answer.UserPrincipalName,
        Pass = answer.Pass,
        IssueTime = Timestamp.FromDateTimeOffset(answer.Record.IssueTime),
        ExpireTime = Timestamp.FromDateTimeOffset(answer.Record.ExpireTime),
        UsableOnce = answer.Record.UsableOnce,
        Delivery = ToProto(answer.Record.Delivery),
        Replayed = answer.Replayed,
        Note = (answer.Record.Delivery, answer.Replayed) switch
        {
            (PassDelivery.Mail, _) => "Mailed to the vendor contact: a one-time link to the pass page, which asks for a confirmation code mailed separately and then shows the pass once. The account's sign_in_passes show when it is seen; a new pass replaces it.",
            (_, true) => "This request_id issued a pass already; it was shown to that call only and is never stored, so it is not shown again. Issue with a new request_id for a new pass (it replaces this one).",
            _ => "Shown once: this service does not keep the pass. Hand it to the vendor's expert now; a new pass replaces it.",
        },
    };
}
