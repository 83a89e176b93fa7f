using RAOrchestrator.Domain.SignInPasses;

namespace RAOrchestrator.Abstractions.ServiceAccounts;

/// <summary>
/// A mailed sign-in pass on its way to the vendor's expert, keyed by the handoff id its link's secret derives: the pass
/// waits here sealed under a key only the link yields, until the expert opens the link, asks for a confirmation code
/// (mailed to the same address) and types it; then it is shown once and the seal is destroyed. The service account
/// grain opens it and ends it (when a newer pass replaces it or the account is deleted).
/// </summary>
[Alias("raorch.IPassHandoffGrain")]
public interface IPassHandoffGrain : IGrainWithStringKey
{
    /// <summary>Keeps the sealed pass and what the mails and the page need; a repeat of the same opening changes nothing.</summary>
    [Alias("Open")]
    Task OpenAsync(PassHandoffOpening opening);

    /// <summary>
    /// Mails a new confirmation code to the expert (the earlier one stops working). Refused when the link is not valid,
    /// the pass was shown, replaced, withdrawn or expired, or too many codes were sent.
    /// </summary>
    [Alias("SendCode")]
    Task<CodeSent> SendCodeAsync(HandoffKeys keys);

    /// <summary>
    /// The pass, once, when <paramref name="code"/> is the code last mailed and still valid; the seal is destroyed in the
    /// same write. A wrong code counts against the code's tries.
    /// </summary>
    [Alias("Show")]
    Task<PassShown> ShowAsync(HandoffKeys keys, string code);

    /// <summary>The pass no longer works (<see cref="PassHandoffEnd"/>): the seal is destroyed; a repeat changes nothing.</summary>
    [Alias("End")]
    Task EndAsync(PassHandoffEnd end);
}

/// <summary>Why a handoff ended before its pass was shown.</summary>
public enum PassHandoffEnd
{
    /// <summary>A newer pass replaced it in the directory.</summary>
    Replaced = 1,

    /// <summary>The account was deleted (or its mail never went out).</summary>
    Withdrawn = 2,
}

/// <summary>What a handoff keeps: whose pass, the mails' sender and recipient, its validity, the sealed pass.</summary>
[GenerateSerializer, Immutable, Alias("raorch.PassHandoffOpening")]
public sealed record PassHandoffOpening(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string AccountName,
    [property: Id(2)] string TenantName,
    [property: Id(3)] string UserPrincipalName,
    [property: Id(4)] string Sender,
    [property: Id(5)] string Recipient,
    [property: Id(6)] DateTimeOffset ExpiresAt,
    [property: Id(7)] bool UsableOnce,
    [property: Id(8)] byte[] SealedPass);

/// <summary>A code went out: to which address (masked), valid until when.</summary>
[GenerateSerializer, Immutable, Alias("raorch.CodeSent")]
public sealed record CodeSent([property: Id(0)] string MaskedRecipient, [property: Id(1)] DateTimeOffset ExpiresAt);

/// <summary>The pass, shown once, and what the page tells the expert with it. <see cref="ToString"/> leaves the pass out.</summary>
[GenerateSerializer, Immutable, Alias("raorch.PassShown")]
public sealed record PassShown(
    [property: Id(0)] string AccountName,
    [property: Id(1)] string TenantName,
    [property: Id(2)] string UserPrincipalName,
    [property: Id(3)] string Pass,
    [property: Id(4)] DateTimeOffset ExpiresAt,
    [property: Id(5)] bool UsableOnce,
    [property: Id(6)] DateTimeOffset ViewedAt)
{
    public override string ToString() => $"PassShown {{ AccountName = {AccountName}, ExpiresAt = {ExpiresAt:O}, ViewedAt = {ViewedAt:O} }}";
}
