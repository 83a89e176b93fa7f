using Microsoft.Extensions.Logging;
using RAOrchestrator.Abstractions.Licensing;
using RAOrchestrator.Abstractions.ServiceAccounts;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Mail;
using RAOrchestrator.Domain.SignInPasses;
using RAOrchestrator.Grains.Workflows;

namespace RAOrchestrator.Grains.ServiceAccounts;

[GrainType("serviceaccount")]
public sealed partial class ServiceAccountGrain(
    [PersistentState("serviceAccount", StorageNames.State)] IPersistentState<ServiceAccountState> state,
    IDirectoryGateway directory,
    ISignInPassGateway passes,
    IMailGateway mail,
    TimeProvider time,
    ILogger<ServiceAccountGrain> logger) : Grain, IServiceAccountGrain, IRemindable
{
    private const string Reminder = "provision";

    /// <summary>How far Graph's clock may be from ours when telling our own lost create from an older user.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    private WorkflowRunner? _runner;

    private ServiceAccountState State => state.State;

    /// <summary>Runs the provisioning saga one run at a time; its reminder resumes it after a crash.</summary>
    private WorkflowRunner Runner => _runner ??= new(this, Reminder, _ => RunProvisioningAsync());

    private string Name => this.GetPrimaryKeyString();

    private string TenantId => Name.Split('/')[1];

    private ISeatLedgerGrain Ledger => GrainFactory.GetGrain<ISeatLedgerGrain>($"tenants/{TenantId}/seatLedger");

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (SagaPending)
        {
            // A crash left the saga mid-way, or the ledger may not have heard the confirmation: resume now rather than
            // at the next reminder tick.
            Runner.Kick();
        }

        return Task.CompletedTask;
    }

    public async Task<ServiceAccountView> CreateAsync(string requestId, ServiceAccountSpec spec, bool callerResumes = false)
    {
        if (State.Exists)
        {
            if (requestId.Length == 0 || requestId != State.RequestId)
            {
                throw new OrchestratorException(ErrorKind.AlreadyExists, "SERVICE_ACCOUNT_EXISTS", $"{Name} already exists.");
            }

            // A retry: finish what is pending, answer as the first call did.
            await ProvisionAsync();
            await HandOffConfirmationAsync(callerResumes);
            return Answer();
        }

        var now = time.GetUtcNow();
        State.Exists = true;
        State.Spec = spec;
        State.RequestId = requestId;
        State.Status = ServiceAccountStatus.Provisioning;
        State.Step = ProvisioningStep.ReserveSeats;
        State.CreateTime = now;
        State.UpdateTime = now;
        State.Version = 1;

        // The one write before the directory is touched: from here on, a user with this UPN made after now may be ours.
        State.CreateSentAt = now;
        await state.WriteOrDeactivateAsync(this);
        if (callerResumes)
        {
            Runner.Unregistered();
        }
        else
        {
            await Runner.RememberAsync();
        }

        await ProvisionAsync();
        await HandOffConfirmationAsync(callerResumes);
        return Answer();
    }

    /// <summary>
    /// A caller that resumes the account stops calling once it hears ACTIVE; when the ledger's confirmation is still
    /// pending then (its call failed), the account's own reminder makes it, so the seat hold does not outlive the call.
    /// </summary>
    private async Task HandOffConfirmationAsync(bool callerResumes)
    {
        if (callerResumes && State.Status == ServiceAccountStatus.Active && SagaPending)
        {
            await Runner.RememberAsync();
        }
    }

    public async Task<ServiceAccountView> UpdateAsync(string requestId, long? expectedVersion, string? displayName, string? usageLocation, IReadOnlyDictionary<string, string>? attributes,
        VendorContactChange? vendorContact = null)
    {
        if (!State.Exists)
        {
            throw OrchestratorException.NotFound(Name);
        }

        if (requestId.Length > 0 && requestId == State.LastUpdateRequestId)
        {
            return View();
        }

        if (expectedVersion is { } version && version != State.Version)
        {
            throw OrchestratorException.EtagMismatch(Name);
        }

        RequireActive("change");

        var spec = State.Spec! with
        {
            DisplayName = displayName ?? State.Spec!.DisplayName,
            UsageLocation = usageLocation ?? State.Spec!.UsageLocation,
            Attributes = attributes ?? State.Spec!.Attributes,
            VendorContact = vendorContact is null ? State.Spec!.VendorContact : vendorContact.Contact,
        };

        // Attributes that disappear are cleared in the directory, so segments see what the resource says.
        var changes = new Dictionary<string, string>(spec.Attributes, StringComparer.Ordinal);
        foreach (var removed in State.Spec!.Attributes.Keys.Except(spec.Attributes.Keys))
        {
            changes[removed] = string.Empty;
        }

        await directory.UpdateUserAsync(TenantId, State.UserId, spec.UsageLocation, changes);
        State.Spec = spec;
        State.LastUpdateRequestId = requestId;
        State.Version++;
        State.UpdateTime = time.GetUtcNow();
        await state.WriteOrDeactivateAsync(this);
        return View();
    }

    public Task<ServiceAccountView?> TryGetAsync() => Task.FromResult(State.Exists ? View() : null);

    public async Task DeleteAsync(string requestKey = "")
    {
        if (!State.Exists)
        {
            // A repeat of the delete that forgot the account answers as it did.
            if (requestKey.Length > 0 && requestKey == State.DeletedByRequest)
            {
                return;
            }

            throw OrchestratorException.NotFound(Name);
        }

        if (State.Status == ServiceAccountStatus.Provisioning && !await SettleAsync())
        {
            return;
        }

        if (State.Status == ServiceAccountStatus.Active)
        {
            await ReverseAsync(deleteCreatedUser: false);
        }
        else
        {
            // FAILED: its provisioning was undone already; only the claims may be left (accounts stored before undo released them).
            await Ledger.ReleaseAsync(Name);
        }

        await ForgetAsync(requestKey);
    }

    public async Task ResumeAsync()
    {
        if (SagaPending)
        {
            await Runner.RememberAsync();
        }

        await ProvisionAsync();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Runner.Ticked();
        return SagaPending ? ProvisionAsync() : Runner.ForgetAsync();
    }

    /// <summary>Whether the saga has steps left: still provisioning, or active with the ledger's confirmation not known to have landed.</summary>
    private bool SagaPending => State.Exists && (State.Status == ServiceAccountStatus.Provisioning || State.Step == ProvisioningStep.Confirm);

    /// <summary>Runs the saga's pending steps (unless a run is in flight already).</summary>
    private Task ProvisionAsync() => Runner.RunAsync();

    private async Task RunProvisioningAsync()
    {
        var spec = State.Spec!;

        // A run that only confirms again (an activation's, after the confirmation's answer was lost or not known) reads
        // no reminder table: a reminder still registered forgets itself at its next tick.
        var onlyConfirming = State.Step == ProvisioningStep.Confirm;
        try
        {
            while (SagaPending)
            {
                switch (State.Step)
                {
                    case ProvisioningStep.ReserveSeats:
                        // Claims the UPN for this account and holds the seats (refused while the tenant is offboarded),
                        // then creates the user, with no write between them: see ProvisioningStep.ReserveSeats.
                        await ReserveAsync(spec);
                        await Advance(await CreateLicensedUserAsync(spec));
                        break;
                    case ProvisioningStep.CreatingUser:
                        // Accounts stored before reservation and creation became one step.
                        await Advance(await CreateLicensedUserAsync(spec));
                        break;
                    case ProvisioningStep.AssignLicences:
                        // Only the SKUs recorded as ours, written before this step: safe to repeat after a crash.
                        if (await RecordedAssignmentAsync(spec) is { Count: > 0 } assigned)
                        {
                            await directory.AssignLicencesAsync(TenantId, State.UserId, assigned, []);
                        }

                        await Advance(ProvisioningStep.Confirm);
                        break;
                    case ProvisioningStep.Confirm:
                        // ACTIVE since the write that stored this step; the confirmation is idempotent, so it needs no
                        // write of its own: storage keeps saying Confirm, and a later activation confirms again
                        // (until a later write of the account stores Done).
                        await Ledger.ConfirmAsync(Name);
                        State.Step = ProvisioningStep.Done;
                        if (!onlyConfirming)
                        {
                            await Runner.ForgetAsync();
                        }

                        break;
                    default:
                        return;
                }
            }
        }
        catch (OrchestratorException ex) when (ex.Kind != ErrorKind.Unavailable && State.Exists)
        {
            await UndoAsync(ex);
        }
        catch (Exception ex) when (State.Exists)
        {
            // Graph or storage away: the step stays where it is; the reminder resumes it.
            LogPaused(ex, Name);
        }
    }

    /// <summary>
    /// Creates the user with its licences in one round trip (the gateway batches it with the tenant's other accounts).
    /// A UPN that exists already is ours when the directory made it after our first create went out (an answer lost
    /// to a crash or a dropped connection); otherwise it is someone else's member user, adopted but never deleted.
    /// Returns the step that follows.
    /// </summary>
    private async Task<ProvisioningStep> CreateLicensedUserAsync(ServiceAccountSpec spec)
    {
        var nickname = spec.UserPrincipalName.Split('@')[0];
        var result = await directory.CreateLicensedUserAsync(TenantId,
            new NewDirectoryUser(spec.UserPrincipalName, spec.DisplayName, nickname, spec.UsageLocation, spec.Attributes), spec.Skus);
        var user = result.User;
        State.UserId = user.Id;
        if (result.Created)
        {
            // A user made here holds nothing but what this service gives it.
            State.CreatedUser = true;
            State.AssignedSkus = [.. spec.Skus];
            if (result.LicenceError is { } refused)
            {
                throw refused;
            }

            return result.Licensed ? ProvisioningStep.Confirm : ProvisioningStep.AssignLicences;
        }

        if (!string.Equals(user.UserType, "Member", StringComparison.OrdinalIgnoreCase))
        {
            State.UserId = string.Empty;
            throw new OrchestratorException(ErrorKind.FailedPrecondition, "USER_IS_GUEST",
                $"{spec.UserPrincipalName} is a guest; Remote Assist licences go to member accounts of the tenant. Choose another UPN.");
        }

        State.CreatedUser = user.CreatedAt is { } made && made >= State.CreateSentAt - ClockSkew;
        if (State.CreatedUser)
        {
            State.AssignedSkus = [.. spec.Skus];
        }
        else
        {
            // Someone else's user: the licences it holds are theirs, kept as they are; ours are the ones it lacks.
            State.AssignedSkus = [.. DirectoryFootprint.ToAssign(spec.Skus, user.AssignedSkus)];
            await directory.UpdateUserAsync(TenantId, user.Id, spec.UsageLocation, spec.Attributes);
        }

        return ProvisioningStep.AssignLicences;
    }

    /// <summary>Undoes what the earlier steps did and keeps the account FAILED with the reason.</summary>
    private async Task UndoAsync(OrchestratorException failure)
    {
        try
        {
            await ReverseAsync(deleteCreatedUser: true);
        }
        catch (Exception ex)
        {
            // The reminder tries the undo again: the failure is recorded first.
            LogPaused(ex, Name);
            State.FailureReason = failure.Reason;
            State.FailureMessage = failure.Message;
            State.FailureKind = (int)failure.Kind;
            await state.WriteOrDeactivateAsync(this);
            return;
        }

        State.Status = ServiceAccountStatus.Failed;
        State.FailureReason = failure.Reason;
        State.FailureMessage = failure.Message;
        State.FailureKind = (int)failure.Kind;
        await Advance(ProvisioningStep.Done);
        await Runner.ForgetAsync();
    }

    private async Task Advance(ProvisioningStep next)
    {
        if (next == ProvisioningStep.Confirm)
        {
            // The user exists with its licences: the account is ACTIVE in the same write; only the ledger is left.
            State.Status = ServiceAccountStatus.Active;
        }

        State.Step = next;
        State.UpdateTime = time.GetUtcNow();
        State.Version++;
        await state.WriteOrDeactivateAsync(this);
    }

    private ServiceAccountView Answer() => State.Status == ServiceAccountStatus.Failed
        ? throw new OrchestratorException((ErrorKind)State.FailureKind, State.FailureReason, State.FailureMessage)
        : View();

    private ServiceAccountView View() => new(Name, State.Spec!, State.Status, State.FailureReason, State.FailureMessage, State.UserId,
        State.CreateTime, State.UpdateTime, State.Version, [.. State.SignInPasses]);

    /// <summary>FAILED_PRECONDITION SERVICE_ACCOUNT_NOT_ACTIVE unless the account is ACTIVE.</summary>
    private void RequireActive(string what)
    {
        if (State.Status != ServiceAccountStatus.Active)
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, "SERVICE_ACCOUNT_NOT_ACTIVE", $"{Name} is {State.Status}; only an active account can {what}.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provisioning of {Account} paused; its reminder resumes it")]
    private partial void LogPaused(Exception exception, string account);
}
