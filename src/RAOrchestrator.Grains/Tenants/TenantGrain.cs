using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Abstractions.Partners;
using RAOrchestrator.Abstractions.ServiceAccounts;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Tenants;
using RAOrchestrator.Domain.Tenants.Ownership;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Grains.Workflows;

namespace RAOrchestrator.Grains.Tenants;

[GrainType("tenant")]
public sealed partial class TenantGrain(
    [PersistentState("tenant", StorageNames.State)] IPersistentState<TenantState> state,
    IDirectoryGateway directory,
    MspApp mspApp,
    IOptions<OwnershipOptions> ownership,
    TimeProvider time,
    ILogger<TenantGrain> logger) : Grain, ITenantGrain, IRemindable
{
    private const string WorkflowReminder = "workflow";
    private const int MaxProcessedRequests = 256;
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan TransientRetry = TimeSpan.FromSeconds(5);

    private IGrainTimer? _kick;
    private bool _running;

    // The workflow whose operation record, partner listing and reminder this activation has put in place.
    private string? _startedOperationId;

    private TenantState State => state.State;

    private string TenantId => this.GetPrimaryKeyString()[(ResourceName.TenantsCollection.Length + 1)..];

    private string Name => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Workflow is not null)
        {
            Kick();
        }

        ScheduleClaimExpiry();
        return Task.CompletedTask;
    }

    public async Task<TenantCreated> CreateAsync(CreateTenant command)
    {
        if (Processed(command.PartnerId, command.RequestId) is { OperationId: { } earlier, Tenant: { } first })
        {
            // The tenant as this partner sees it now (its claim, or the tenant once approved); otherwise the first answer.
            if (State.Ownership.Claims.Find(c => c.OperationId == earlier && c.Pending) is { } waiting)
            {
                return new TenantCreated(ClaimView(waiting), await RecordClaimAsync(waiting));
            }

            var tenant = ViewFor(command.PartnerId) ?? first;
            return new TenantCreated(tenant, await ResumeAfterRetryAsync(command.PartnerId, earlier));
        }

        await ExpireClaimsAsync();
        var now = time.GetUtcNow();
        var claim = new TenantClaim(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), command.PartnerId,
            Guid.NewGuid().ToString("N"), command.DisplayName, command.Settings, now, now + ownership.Value.ClaimLifetime, ClaimStatus.Pending);

        // Refuses a partner that owns the tenant or already waits for it, in the same words whoever else owns or claims it.
        var next = State.Ownership.Claim(claim);
        await Partner(command.PartnerId).AddTenantAsync(TenantId);
        State.Ownership = next;
        Remember(command.PartnerId, command.RequestId, ClaimView(claim), claim.OperationId);
        await state.WriteOrDeactivateAsync(this);
        var operation = await RecordClaimAsync(claim);

        if (State.Ownership.Owner is null && ownership.Value.IsPreApproved(command.PartnerId, TenantId))
        {
            await DecideClaimAsync(claim.ClaimId, ApprovalDecision.Approve, TenantAdmin.Configuration(TenantId));
            return new TenantCreated(ToView(), await OperationAsync(command.PartnerId, claim.OperationId));
        }

        ScheduleClaimExpiry();
        return new TenantCreated(ClaimView(claim), operation);
    }

    public Task<TenantView?> TryGetAsync(string partnerId) => Task.FromResult(Visible(partnerId) ? ToView() : null);

    public Task<TenantView?> FindAsync(string partnerId) => Task.FromResult(ViewFor(partnerId));

    public Task<TenantLicences?> GetLicencesAsync(string partnerId) =>
        Task.FromResult(Visible(partnerId) && State.Facts.Licences is { } skus
            ? new TenantLicences(skus, State.Facts.CheckedAt ?? State.UpdateTime)
            : null);

    public async Task<TenantView> UpdateAsync(UpdateTenant command)
    {
        if (Processed(command.PartnerId, command.RequestId) is { Tenant: { } earlier })
        {
            return earlier;
        }

        EnsureOwner(command.PartnerId);
        EnsureNotOffboarding();
        EnsureVersion(command.ExpectedVersion);

        var settings = State.Settings with
        {
            Meetings = command.Meetings ?? State.Settings.Meetings,
            Licences = command.Licences ?? State.Settings.Licences,
            ExternalAccessAllowedTenants = command.ExternalAccessAllowedTenants ?? State.Settings.ExternalAccessAllowedTenants,
        };
        var changed = settings.Meetings != State.Settings.Meetings || settings.Licences != State.Settings.Licences
            || !settings.ExternalAccessAllowedTenants.SequenceEqual(State.Settings.ExternalAccessAllowedTenants)
            || command.DisplayName is { } name && name != State.DisplayName;
        if (changed)
        {
            State.DisplayName = command.DisplayName ?? State.DisplayName;
            State.Settings = settings;
            State.Version++;
            State.UpdateTime = time.GetUtcNow();

            // Confirmed settings are inputs of the report: a checked tenant's readiness follows them at once.
            if (State.Workflow is null && State.Readiness is not null)
            {
                Publish();
            }
        }

        var view = ToView();
        Remember(command.PartnerId, command.RequestId, view, null);
        await state.WriteOrDeactivateAsync(this);
        return view;
    }

    public async Task<OperationView> DeleteAsync(DeleteTenant command)
    {
        if (Processed(command.PartnerId, command.RequestId) is { OperationId: { } earlier })
        {
            return await ResumeAfterRetryAsync(command.PartnerId, earlier);
        }

        if (!Visible(command.PartnerId) && State.Ownership.PendingClaimOf(command.PartnerId) is { } claim)
        {
            return await WithdrawClaimAsync(claim, command.RequestId);
        }

        EnsureVisible(command.PartnerId);
        if (State.Workflow is { Kind: OperationKind.OffboardTenant } offboarding)
        {
            return await OperationAsync(command.PartnerId, offboarding.OperationId);
        }

        // An offboarding that failed starts again (every step is safe to repeat) and finishes what the first left.
        if (State.Workflow is not null)
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, Reasons.OperationInProgress,
                $"{Name} is still onboarding (operations/{State.Workflow.OperationId}); wait for it to finish, then offboard.");
        }

        EnsureVersion(command.ExpectedVersion);

        State.Lifecycle = TenantLifecycle.Offboarding;
        State.Version++;
        State.UpdateTime = time.GetUtcNow();
        State.Workflow = WorkflowState.Start(OperationKind.OffboardTenant, TenantWorkflows.Offboarding);
        State.OperationId = State.Workflow.OperationId;
        Remember(command.PartnerId, command.RequestId, null, State.OperationId);
        await state.WriteOrDeactivateAsync(this);

        var operation = await EnsureWorkflowStartedAsync();
        Kick();
        return operation;
    }

    public async Task<OperationView> CheckReadinessAsync(CheckTenantReadiness command)
    {
        if (Processed(command.PartnerId, command.RequestId) is { OperationId: { } earlier })
        {
            return await ResumeAfterRetryAsync(command.PartnerId, earlier);
        }

        EnsureOwner(command.PartnerId);
        EnsureNotOffboarding();
        if (State.Workflow is { } running)
        {
            if (running.Kind == OperationKind.CheckTenantReadiness)
            {
                return await OperationAsync(command.PartnerId, running.OperationId);
            }

            throw new OrchestratorException(ErrorKind.FailedPrecondition, Reasons.OperationInProgress,
                $"{Name} is still onboarding (operations/{running.OperationId}); its checks are part of it.");
        }

        State.Workflow = WorkflowState.Start(OperationKind.CheckTenantReadiness, TenantWorkflows.Recheck);
        State.OperationId = State.Workflow.OperationId;
        Remember(command.PartnerId, command.RequestId, null, State.OperationId);
        await state.WriteOrDeactivateAsync(this);

        var operation = await EnsureWorkflowStartedAsync();
        Kick();
        return operation;
    }

    public Task<string?> GetRunbookAsync(string partnerId) => Task.FromResult(Visible(partnerId)
        ? TenantRunbook.Generate(TenantId, State.DisplayName, mspApp.ClientId, State.Settings, CurrentReport())
        : null);

    public Task<TenantFederationFacts> GetFederationFactsAsync() => Task.FromResult(new TenantFederationFacts(
        State.Exists && State.Lifecycle == TenantLifecycle.Active, State.Exists ? State.Settings.ExternalAccessAllowedTenants : []));

    public Task ResumeWorkflowAsync() => RunWorkflowAsync();

    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName switch
    {
        WorkflowReminder => RunWorkflowAsync(),
        ClaimsReminder => OnClaimsReminderAsync(),
        _ => Task.CompletedTask,
    };

    /// <summary>
    /// A retried request whose first attempt was carried out: if its workflow is still running, make sure what the
    /// first attempt may not have finished (operation record, reminder) is in place; answer with the operation.
    /// </summary>
    private async Task<OperationView> ResumeAfterRetryAsync(string partnerId, string operationId)
    {
        if (State.Workflow?.OperationId == operationId)
        {
            var operation = await EnsureWorkflowStartedAsync();
            Kick();
            return operation;
        }

        return await OperationAsync(partnerId, operationId);
    }

    /// <summary>
    /// Records the operation and registers the reminder that resumes the workflow after a crash. Every part is
    /// idempotent, so a retried request that finds the workflow already written calls this again safely.
    /// </summary>
    private async Task<OperationView> EnsureWorkflowStartedAsync()
    {
        var workflow = State.Workflow!;
        var operation = await Operation(workflow.OperationId)
            .StartAsync(new OperationStart(State.PartnerId, workflow.Kind, Name, workflow.Progress));
        await Partner(State.PartnerId).AddOperationAsync(workflow.OperationId);
        await this.RegisterOrUpdateReminder(WorkflowReminder, ReminderPeriod, ReminderPeriod);
        _startedOperationId = workflow.OperationId;
        return operation;
    }

    private void Kick(TimeSpan? due = null)
    {
        _kick?.Dispose();
        _kick = this.RegisterGrainTimer(static (grain, cancellation) => grain.RunWorkflowAsync(cancellation), this,
            new GrainTimerCreationOptions { DueTime = due ?? TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan });
    }

    private async Task RunWorkflowAsync(CancellationToken cancellation = default)
    {
        if (_running)
        {
            return;
        }

        _running = true;
        _stepCancellation = cancellation;
        try
        {
            // The steps' Graph reads count against the owning partner's share of the app's Graph budget.
            DirectoryCaller.Set(State.PartnerId);
            await RunPendingStepsAsync();
        }
        catch (Exception ex) when (ex is not OrchestratorException || ex is OrchestratorException { Kind: ErrorKind.Unavailable })
        {
            // Storage, Graph or a callee is unavailable: the step stays pending; a timer tries again soon, and the
            // reminder after a crash.
            LogWorkflowInterrupted(ex, Name);
            await ReportInterruptionAsync(ex);
            Kick(TransientRetry);
        }
        finally
        {
            _running = false;
        }
    }

    private async Task RunPendingStepsAsync()
    {
        if (State.Workflow is null)
        {
            await ForgetReminderAsync();
            return;
        }

        var workflow = State.Workflow;
        if (_startedOperationId != workflow.OperationId)
        {
            // A crash between storing the workflow and recording its operation leaves a workflow whose operation does
            // not exist (progress reports to it would go nowhere, and a retried request would find no operation): put
            // the record in place before the first step runs.
            await EnsureWorkflowStartedAsync();
        }

        var operation = Operation(workflow.OperationId);
        while (workflow.Outcome is null && workflow.NextStepIndex is var index and >= 0)
        {
            var step = workflow.Steps[index];
            using var activity = Telemetry.Source.StartActivity($"workflow.{step.Id}");
            activity?.SetTag("raorchestrator.tenant", TenantId);
            activity?.SetTag("raorchestrator.operation", workflow.OperationId);

            workflow.SetStep(index, StepStatus.Running);
            await operation.ReportAsync(workflow.Progress);
            try
            {
                workflow.SetStep(index, await RunStepAsync(step.Id));
            }
            catch (OrchestratorException ex) when (ex.Kind != ErrorKind.Unavailable)
            {
                workflow.SetStep(index, StepStatus.Failed, ex.Message);
                workflow.Failure = new OperationFailure((int)ex.Kind, ex.Reason, ex.Message);
                workflow.Outcome = OperationStatus.Failed;
            }

            await state.WriteOrDeactivateAsync(this);
            await operation.ReportAsync(workflow.Progress);
        }

        if (workflow.Outcome is null)
        {
            Complete(workflow);
            await state.WriteOrDeactivateAsync(this);
        }

        await operation.ReportAsync(workflow.Progress);
        await ForgetReminderAsync();
        State.Workflow = null;
        await state.WriteOrDeactivateAsync(this);
    }

    private async Task<StepStatus> RunStepAsync(string stepId)
    {
        var partner = Partner(State.PartnerId);
        switch (stepId)
        {
            case TenantWorkflows.AwaitApproval:
                // Done by the approval itself; a workflow only starts once its claim is approved.
                return StepStatus.Succeeded;
            case TenantWorkflows.RegisterWithPartner:
                await partner.AddTenantAsync(TenantId);
                await SeatLedger.OpenAsync();
                return StepStatus.Succeeded;
            case TenantWorkflows.UnregisterFromPartner:
                await partner.RemoveTenantAsync(TenantId);
                return StepStatus.Succeeded;
            case TenantWorkflows.DeprovisionServiceAccounts:
                return await DeprovisionServiceAccountsAsync();
            case TenantWorkflows.VerifyConsent:
                return await VerifyConsentAsync();
            case TenantWorkflows.ReadOrganization:
                return await WithConsentAsync(async () =>
                    State.Facts = State.Facts with { Organization = await directory.GetOrganizationAsync(TenantId, _stepCancellation) });
            case TenantWorkflows.ReadLicences:
                return await WithConsentAsync(async () =>
                    State.Facts = State.Facts with { Licences = await directory.GetLicenceInventoryAsync(TenantId, _stepCancellation) });
            case TenantWorkflows.ProbeMeetingAccess:
                return await WithConsentAsync(ProbeMeetingAccessAsync);
            case TenantWorkflows.PublishReadiness:
                State.Facts = State.Facts with { CheckedAt = time.GetUtcNow() };
                Publish();
                return StepStatus.Succeeded;
            default:
                return await RunOffboardingStepAsync(stepId);
        }
    }

    /// <summary>Each account deprovisions itself (idempotently); the index empties as they go, so a crash resumes where it stopped.</summary>
    private async Task<StepStatus> DeprovisionServiceAccountsAsync()
    {
        // From here on no account can start: one that raced the API's check is refused by the ledger.
        await SeatLedger.CloseAsync();
        var index = GrainFactory.GetGrain<IKeyIndexGrain>($"{Name}/serviceAccountIndex");
        var deprovisioned = 0;
        while ((await index.ListAsync(null, 100)).Keys is { Count: > 0 } keys)
        {
            foreach (var id in keys)
            {
                var account = GrainFactory.GetGrain<IServiceAccountGrain>($"{Name}/serviceAccounts/{id}");
                if (await account.TryGetAsync() is not null)
                {
                    await account.DeleteAsync();
                    deprovisioned++;
                }

                await index.RemoveAsync(id);
            }
        }

        return deprovisioned > 0 ? StepStatus.Succeeded : StepStatus.Skipped;
    }

    /// <summary>A refused consent is a finding of the report, not a failure of the workflow.</summary>
    private async Task<StepStatus> VerifyConsentAsync()
    {
        try
        {
            await directory.VerifyConsentAsync(TenantId, _stepCancellation);
            State.Facts = TenantFacts.None with { ConsentVerified = true };
        }
        catch (OrchestratorException ex) when (ex.Kind == ErrorKind.FailedPrecondition)
        {
            State.Facts = TenantFacts.None with { ConsentFailure = new FactFailure(ex.Reason, ex.Message) };
        }

        return StepStatus.Succeeded;
    }

    private async Task<StepStatus> WithConsentAsync(Func<Task> read)
    {
        if (!State.Facts.ConsentVerified)
        {
            return StepStatus.Skipped;
        }

        await read();
        return StepStatus.Succeeded;
    }

    private async Task ProbeMeetingAccessAsync()
    {
        try
        {
            State.Facts = State.Facts with { ApplicationAccessPolicy = await directory.ProbeApplicationAccessPolicyAsync(TenantId, _stepCancellation), ApplicationAccessPolicyFailure = null };
        }
        catch (OrchestratorException ex) when (ex.Kind == ErrorKind.FailedPrecondition)
        {
            State.Facts = State.Facts with { ApplicationAccessPolicy = null, ApplicationAccessPolicyFailure = new FactFailure(ex.Reason, ex.Message) };
        }
    }

    private ReadinessReport CurrentReport() =>
        State.Readiness ?? ReadinessRules.Evaluate(State.Facts, State.Settings, TenantId, mspApp.ClientId, time.GetUtcNow());

    /// <summary>Recomputes the report from facts and settings; the tenant is active exactly when it is ready.</summary>
    private void Publish()
    {
        State.Readiness = ReadinessRules.Evaluate(State.Facts, State.Settings, TenantId, mspApp.ClientId, State.Facts.CheckedAt ?? time.GetUtcNow());
        State.Lifecycle = State.Readiness.Ready ? TenantLifecycle.Active : TenantLifecycle.NeedsAttention;
    }

    /// <summary>What a finished workflow means for the tenant, and the operation's outcome.</summary>
    private void Complete(WorkflowState workflow)
    {
        State.UpdateTime = time.GetUtcNow();
        State.Version++;
        workflow.Outcome = OperationStatus.Succeeded;
        switch (workflow.Kind)
        {
            case OperationKind.OnboardTenant when State.Readiness is { Ready: false } report:
                // Onboarding did not reach ACTIVE: the operation says why; the report and runbook say what to do.
                workflow.Outcome = OperationStatus.Failed;
                workflow.Failure = new OperationFailure((int)ErrorKind.FailedPrecondition, Reasons.TenantNotReady,
                    $"{Name} is not ready: {string.Join("; ", report.Outstanding.Where(c => c.Blocking).Select(c => $"{c.Id} {c.Result.ToString().ToLowerInvariant()} ({c.Reason})"))}. See the tenant's readiness report and runbook, then re-run the checks.");
                break;
            case OperationKind.OffboardTenant:
                // Forget the tenant; only the request log and the ownership history stay, so retried deletes keep
                // their answer and the audit timeline keeps who approved whom.
                State.Ownership = State.Ownership.Release(time.GetUtcNow());
                State.DisplayName = string.Empty;
                State.Settings = TenantSettings.Default;
                State.Facts = TenantFacts.None;
                State.Readiness = null;
                break;
        }
    }

    private async Task ForgetReminderAsync()
    {
        if (await this.GetReminder(WorkflowReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private async Task<OperationView> OperationAsync(string partnerId, string operationId) =>
        await Operation(operationId).TryGetAsync(partnerId)
        ?? throw OrchestratorException.NotFound(ResourceName.Operation(operationId));

    private bool Visible(string partnerId) => State.Exists && State.PartnerId == partnerId;

    /// <summary>Only the owner may change the tenant; a partner whose claim waits is told so, anyone else NOT_FOUND.</summary>
    private void EnsureOwner(string partnerId)
    {
        if (!Visible(partnerId) && State.Ownership.PendingClaimOf(partnerId) is not null)
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, Reasons.TenantNotActive,
                $"{Name} is waiting for an administrator of the tenant to approve you; send them the approval link.");
        }

        EnsureVisible(partnerId);
    }

    private void EnsureVisible(string partnerId)
    {
        if (!Visible(partnerId))
        {
            throw OrchestratorException.NotFound(Name);
        }
    }

    private void EnsureNotOffboarding()
    {
        if (State.Lifecycle == TenantLifecycle.Offboarding)
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, Reasons.TenantNotActive, $"{Name} is being offboarded; it can no longer be changed.");
        }
    }

    private void EnsureVersion(long? expected)
    {
        if (expected is { } version && version != State.Version)
        {
            throw OrchestratorException.EtagMismatch(Name);
        }
    }

    private ProcessedRequest? Processed(string partnerId, string requestId) =>
        requestId.Length == 0 ? null : State.ProcessedRequests.Find(r => r.Key == RequestKey(partnerId, requestId));

    private void Remember(string partnerId, string requestId, TenantView? view, string? operationId)
    {
        if (requestId.Length == 0)
        {
            return;
        }

        Answers.Add(State.ProcessedRequests, new ProcessedRequest(RequestKey(partnerId, requestId), view, operationId));
    }

    private static string RequestKey(string partnerId, string requestId) => $"{partnerId}|{requestId}";

    private TenantView ToView() => new(TenantId, State.DisplayName, State.Lifecycle, State.OperationId, State.CreateTime, State.UpdateTime, State.Version,
        State.Settings, State.Readiness, State.Facts.Organization?.Domains.Select(d => d.Name).ToArray() ?? [],
        OwnershipHistory: HistoryFor(State.PartnerId));

    /// <summary>The tenant for its owner, the claim for a partner whose claim waits, else null.</summary>
    private TenantView? ViewFor(string partnerId) =>
        Visible(partnerId) ? ToView() : State.Ownership.PendingClaimOf(partnerId) is { } claim ? ClaimView(claim) : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow of {Tenant} interrupted; its reminder will resume it")]
    private partial void LogWorkflowInterrupted(Exception exception, string tenant);
}
