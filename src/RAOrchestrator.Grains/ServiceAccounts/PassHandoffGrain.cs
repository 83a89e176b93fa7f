using Microsoft.Extensions.Logging;
using RAOrchestrator.Abstractions.ServiceAccounts;
using RAOrchestrator.Domain.Mail;
using RAOrchestrator.Domain.SignInPasses;

namespace RAOrchestrator.Grains.ServiceAccounts;

/// <summary>
/// A mailed pass on its way to the vendor's expert (see <see cref="IPassHandoffGrain"/>). Its state is forgotten a
/// week after the pass expires, by a reminder, so handoffs do not pile up in storage.
/// </summary>
[GrainType("passhandoff")]
public sealed partial class PassHandoffGrain(
    [PersistentState("passHandoff", StorageNames.State)] IPersistentState<PassHandoffState> state,
    IMailGateway mail,
    TimeProvider time,
    ILogger<PassHandoffGrain> logger) : Grain, IPassHandoffGrain, IRemindable
{
    /// <summary>Confirmation codes one link may have mailed.</summary>
    public const int MaxCodes = 5;

    /// <summary>Wrong tries a code allows before a new one must be sent.</summary>
    public const int TriesPerCode = 3;

    /// <summary>How long a confirmation code works.</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    /// <summary>How long after the pass expires the handoff is kept (so a late visit still hears why the link is dead).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    private const string ForgetReminder = "forget";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromDays(1);

    private PassHandoffState State => state.State;

    private string HandoffId => this.GetPrimaryKeyString();

    public async Task OpenAsync(PassHandoffOpening opening)
    {
        if (State.Opening is not null)
        {
            return; // opened already: the same handoff id comes from the same link secret
        }

        State.Opening = opening with { SealedPass = [] };
        State.SealedPass = opening.SealedPass;
        await state.WriteOrDeactivateAsync(this);
        await ArmForgettingAsync();
    }

    public async Task<CodeSent> SendCodeAsync(HandoffKeys keys)
    {
        var opening = Usable(keys);
        if (State.CodesSent >= MaxCodes)
        {
            throw PassHandoffRefusals.Exhausted(opening.TenantName);
        }

        var code = ConfirmationCode.New();
        var expiresAt = Min(time.GetUtcNow() + CodeLifetime, opening.ExpiresAt);
        State.CodeMac = ConfirmationCode.Mac(keys, code);
        State.CodeExpiresAt = expiresAt;
        State.CodesSent++;
        State.WrongTries = 0;

        // Counted before it is sent: the bound on codes is what keeps a stranger with the link from flooding the inbox.
        await state.WriteOrDeactivateAsync(this);
        await mail.SendAsync(opening.TenantId, PassMails.Code(opening.Sender, opening.Recipient, opening.TenantName, code, expiresAt));
        LogCodeSent(HandoffId, State.CodesSent);
        return new CodeSent(PassMails.Mask(opening.Recipient), expiresAt);
    }

    public async Task<PassShown> ShowAsync(HandoffKeys keys, string code)
    {
        var opening = Usable(keys);
        if (State.CodeMac is not { } mac)
        {
            throw PassHandoffRefusals.NoCodeYet();
        }

        if (time.GetUtcNow() >= State.CodeExpiresAt)
        {
            throw PassHandoffRefusals.CodeTimedOut();
        }

        if (State.WrongTries >= TriesPerCode)
        {
            throw PassHandoffRefusals.Wrong(0);
        }

        if (!ConfirmationCode.Matches(keys, code, mac))
        {
            State.WrongTries++;
            await state.WriteOrDeactivateAsync(this);
            throw PassHandoffRefusals.Wrong(TriesPerCode - State.WrongTries);
        }

        var pass = PassSeal.Open(keys, State.SealedPass!) ?? throw PassHandoffRefusals.NotValid();
        var viewedAt = time.GetUtcNow();
        State.ViewedAt = viewedAt;
        State.SealedPass = null;
        State.CodeMac = null;
        await state.WriteOrDeactivateAsync(this);
        LogShown(HandoffId, opening.AccountName);
        return new PassShown(opening.AccountName, opening.TenantName, opening.UserPrincipalName, pass, opening.ExpiresAt, opening.UsableOnce, viewedAt);
    }

    public async Task EndAsync(PassHandoffEnd end)
    {
        if (State.Opening is null || State.ViewedAt is not null || State.Ended is not null)
        {
            return;
        }

        State.Ended = end;
        State.SealedPass = null;
        State.CodeMac = null;
        await state.WriteOrDeactivateAsync(this);
    }

    public async Task ReceiveReminder(string reminderName, Orleans.Runtime.TickStatus status)
    {
        if (State.Opening is { } opening && time.GetUtcNow() < opening.ExpiresAt + Retention)
        {
            return;
        }

        await state.ClearStateAsync();
        if (await this.GetReminder(ForgetReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>The opening, when <paramref name="keys"/> are this handoff's and its pass can still be shown; otherwise why not.</summary>
    private PassHandoffOpening Usable(HandoffKeys keys)
    {
        if (State.Opening is not { } opening || keys.HandoffId != HandoffId)
        {
            throw PassHandoffRefusals.NotValid();
        }

        if (State.ViewedAt is { } viewedAt)
        {
            throw PassHandoffRefusals.Shown(opening.TenantName, viewedAt);
        }

        var refusal = State.Ended switch
        {
            PassHandoffEnd.Replaced => PassHandoffRefusals.ReplacedByNewer(),
            PassHandoffEnd.Withdrawn => PassHandoffRefusals.WithdrawnAccount(opening.TenantName),
            _ when time.GetUtcNow() >= opening.ExpiresAt => PassHandoffRefusals.Expired(opening.TenantName, opening.ExpiresAt),
            _ when State.SealedPass is null => PassHandoffRefusals.NotValid(),
            _ => null,
        };
        return refusal is null ? opening : throw refusal;
    }

    private Task ArmForgettingAsync()
    {
        var due = State.Opening!.ExpiresAt + Retention - time.GetUtcNow();
        return this.RegisterOrUpdateReminder(ForgetReminder, due < ReminderPeriod ? ReminderPeriod : Min(due, TimeSpan.FromDays(20)), ReminderPeriod);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Mailed confirmation code {Count} for pass handoff {HandoffId}")]
    private partial void LogCodeSent(string handoffId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Showed the pass of handoff {HandoffId} for {Account}")]
    private partial void LogShown(string handoffId, string account);
}
