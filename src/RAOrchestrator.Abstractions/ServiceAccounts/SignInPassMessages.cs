using RAOrchestrator.Domain.SignInPasses;

namespace RAOrchestrator.Abstractions.ServiceAccounts;

/// <summary>How a sign-in pass reaches the vendor's expert.</summary>
public enum PassDelivery
{
    Mail = 1,
    Return = 2,
}

/// <summary>An update's vendor contact: the new one, or null to clear it.</summary>
[GenerateSerializer, Immutable, Alias("raorch.VendorContactChange")]
public sealed record VendorContactChange([property: Id(0)] VendorContact? Contact);

/// <summary>
/// What a partner asks for: lifetime and one-time use (null: the tenant policy's), the delivery, and for mail what the
/// mails need (the tenant's sender mailbox and name, the link page's address).
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.SignInPassAsk")]
public sealed record SignInPassAsk(
    [property: Id(0)] int? LifetimeMinutes,
    [property: Id(1)] bool? UsableOnce,
    [property: Id(2)] PassDelivery Delivery,
    [property: Id(3)] PassMailing? Mailing = null);

/// <summary>
/// How a mailed pass is sent: from <paramref name="Sender"/> (the tenant's mailbox; empty when the tenant has none),
/// naming the tenant as <paramref name="TenantName"/>, linking to <paramref name="PageUrl"/> (the pass page; the link's
/// secret follows its <c>#</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.PassMailing")]
public sealed record PassMailing([property: Id(0)] string Sender, [property: Id(1)] string TenantName, [property: Id(2)] string PageUrl);

/// <summary>
/// One pass issued for an account, as its timeline keeps it: never the pass itself. A mailed pass names its handoff
/// (where it waits sealed for the expert) and when its link was mailed and the pass seen; a record of a mail not yet
/// known to have gone out has no mail time.
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.IssuedPassRecord")]
public sealed record IssuedPassRecord(
    [property: Id(0)] string RequestKey,
    [property: Id(1)] string MethodId,
    [property: Id(2)] DateTimeOffset IssueTime,
    [property: Id(3)] DateTimeOffset ExpireTime,
    [property: Id(4)] bool UsableOnce,
    [property: Id(5)] PassDelivery Delivery,
    [property: Id(6)] string HandoffId = "",
    [property: Id(7)] DateTimeOffset? MailTime = null,
    [property: Id(8)] DateTimeOffset? ViewTime = null);

/// <summary>
/// The answer to an issue: the account's UPN, the pass (empty on a replay: it was never stored) and its metadata.
/// <see cref="ToString"/> leaves the pass out, since records are printed by loggers and debuggers.
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.SignInPassAnswer")]
public sealed record SignInPassAnswer(
    [property: Id(0)] string UserPrincipalName,
    [property: Id(1)] string Pass,
    [property: Id(2)] IssuedPassRecord Record,
    [property: Id(3)] bool Replayed)
{
    public override string ToString() =>
        $"SignInPassAnswer {{ UserPrincipalName = {UserPrincipalName}, Record = {Record}, Replayed = {Replayed} }}";
}
