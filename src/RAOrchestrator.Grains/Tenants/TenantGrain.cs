using Microsoft.Extensions.Logging;
using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Abstractions.Partners;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Grains.Workflows;

namespace RAOrchestrator.Grains.Tenants;

[GrainType("tenant")]
public sealed partial class TenantGrain(
    [PersistentState("tenant", StorageNames.State)] IPersistentState<TenantState> state,
    TimeProvider time,
    ILogger<TenantGrain> logger) : Grain, ITenantGrain, IRemindable
{
    private const string WorkflowReminder = "workflow";
    private const int MaxProcessedRequests = 256;
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private IGrainTimer? _kick;
    private bool _running;

    private TenantState State => state.State;

    private string TenantId => this.GetPrimaryKeyString()[(ResourceName.TenantsCollection.Length + 1)..];

    private string Name => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Workflow is not null)
        {
            Kick();
        }

        return Task.CompletedTask;
    }

    public async Task<TenantCreated> CreateAsync(CreateTenant command)
    {
        if (Processed(command.PartnerId, command.RequestId) is { OperationId: { } earlier, Tenant: { } first })
        {
            // The tenant as it is now while this partner still has it; otherwise (offboarded since) the first answer.
            var tenant = Visible(command.PartnerId) ? ToView() : first;
            return new TenantCreated(tenant, await ResumeAfterRetryAsync(command.PartnerId, earlier));
        }

        if (State.Exists)
        {
            // Said the same way whoever manages it, so a create cannot tell one partner about another's tenant.
            throw new OrchestratorException(ErrorKind.AlreadyExists, Reasons.TenantAlreadyOnboarded,
                $"{Name} is already under management; get it, or offboard it before onboarding it again.");
        }

        await GrainFactory.GetGrain<IPartnerGrain>(ResourceName.Partner(command.PartnerId)).AddTenantAsync(TenantId);

        var now = time.GetUtcNow();
        State.Exists = true;
        State.PartnerId = command.PartnerId;
        State.DisplayName = command.DisplayName;
        State.Lifecycle = TenantLifecycle.Onboarding;
        State.CreateTime = now;
        State.UpdateTime = now;
        State.Version++;
        State.Workflow = WorkflowState.Start(OperationKind.OnboardTenant, TenantWorkflows.Onboarding);
        State.OperationId = State.Workflow.OperationId;
        Remember(command.PartnerId, command.RequestId, ToView(), State.OperationId);
        await state.WriteStateAsync();

        var operation = await EnsureWorkflowStartedAsync();
        Kick();
        return new TenantCreated(ToView(), operation);
    }

    public Task<TenantView?> TryGetAsync(string partnerId) => Task.FromResult(Visible(partnerId) ? ToView() : null);

    public async Task<TenantView> UpdateAsync(UpdateTenant command)
    {
        if (Processed(command.PartnerId, command.RequestId) is { Tenant: { } earlier })
        {
            return earlier;
        }

        EnsureVisible(command.PartnerId);
        EnsureNotOffboarding();
        EnsureVersion(command.ExpectedVersion);

        if (command.DisplayName is { } displayName && displayName != State.DisplayName)
        {
            State.DisplayName = displayName;
            State.Version++;
            State.UpdateTime = time.GetUtcNow();
        }

        var view = ToView();
        Remember(command.PartnerId, command.RequestId, view, null);
        await state.WriteStateAsync();
        return view;
    }

    public async Task<OperationView> DeleteAsync(DeleteTenant command)
    {
        if (Processed(command.PartnerId, command.RequestId) is { OperationId: { } earlier })
        {
            return await ResumeAfterRetryAsync(command.PartnerId, earlier);
        }

        EnsureVisible(command.PartnerId);
        if (State.Lifecycle == TenantLifecycle.Offboarding)
        {
            return await OperationAsync(command.PartnerId, State.OperationId);
        }

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
        await state.WriteStateAsync();

        var operation = await EnsureWorkflowStartedAsync();
        Kick();
        return operation;
    }

    public Task ResumeWorkflowAsync() => RunWorkflowAsync();

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == WorkflowReminder ? RunWorkflowAsync() : Task.CompletedTask;

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
        var operation = await GrainFactory.GetGrain<IOperationGrain>(ResourceName.Operation(workflow.OperationId))
            .StartAsync(new OperationStart(State.PartnerId, workflow.Kind, Name, workflow.Progress));
        await GrainFactory.GetGrain<IPartnerGrain>(ResourceName.Partner(State.PartnerId)).AddOperationAsync(workflow.OperationId);
        await this.RegisterOrUpdateReminder(WorkflowReminder, ReminderPeriod, ReminderPeriod);
        return operation;
    }

    private void Kick()
    {
        _kick?.Dispose();
        _kick = this.RegisterGrainTimer(static (grain, _) => grain.RunWorkflowAsync(), this,
            new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan });
    }

    private async Task RunWorkflowAsync()
    {
        if (_running)
        {
            return;
        }

        _running = true;
        try
        {
            await RunPendingStepsAsync();
        }
        catch (Exception ex) when (ex is not OrchestratorException)
        {
            // Storage or a callee is unavailable: the step stays pending and the reminder tries again.
            LogWorkflowInterrupted(ex, Name);
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
        var operation = GrainFactory.GetGrain<IOperationGrain>(ResourceName.Operation(workflow.OperationId));
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
                await RunStepAsync(step.Id);
                workflow.SetStep(index, StepStatus.Succeeded);
            }
            catch (OrchestratorException ex)
            {
                workflow.SetStep(index, StepStatus.Failed, ex.Message);
                workflow.Failure = new OperationFailure((int)ex.Kind, ex.Reason, ex.Message);
                workflow.Outcome = OperationStatus.Failed;
            }

            await state.WriteStateAsync();
            await operation.ReportAsync(workflow.Progress);
        }

        if (workflow.Outcome is null)
        {
            workflow.Outcome = OperationStatus.Succeeded;
            Complete(workflow);
            await state.WriteStateAsync();
        }

        await operation.ReportAsync(workflow.Progress);
        await ForgetReminderAsync();
        State.Workflow = null;
        await state.WriteStateAsync();
    }

    private Task RunStepAsync(string stepId)
    {
        var partner = GrainFactory.GetGrain<IPartnerGrain>(ResourceName.Partner(State.PartnerId));
        return stepId switch
        {
            TenantWorkflows.RegisterWithPartner => partner.AddTenantAsync(TenantId),
            TenantWorkflows.UnregisterFromPartner => partner.RemoveTenantAsync(TenantId),
            _ => throw new InvalidOperationException($"Unknown workflow step '{stepId}'."),
        };
    }

    /// <summary>What a workflow's success means for the tenant.</summary>
    private void Complete(WorkflowState workflow)
    {
        State.UpdateTime = time.GetUtcNow();
        State.Version++;
        switch (workflow.Kind)
        {
            case OperationKind.OnboardTenant:
                State.Lifecycle = TenantLifecycle.Active;
                break;
            case OperationKind.OffboardTenant:
                // Forget the tenant; only the request log stays, so retried deletes keep their answer.
                State.Exists = false;
                State.PartnerId = string.Empty;
                State.DisplayName = string.Empty;
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
        await GrainFactory.GetGrain<IOperationGrain>(ResourceName.Operation(operationId)).TryGetAsync(partnerId)
        ?? throw OrchestratorException.NotFound(ResourceName.Operation(operationId));

    private bool Visible(string partnerId) => State.Exists && State.PartnerId == partnerId;

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

        State.ProcessedRequests.Add(new ProcessedRequest(RequestKey(partnerId, requestId), view, operationId));
        if (State.ProcessedRequests.Count > MaxProcessedRequests)
        {
            State.ProcessedRequests.RemoveAt(0);
        }
    }

    private static string RequestKey(string partnerId, string requestId) => $"{partnerId}|{requestId}";

    private TenantView ToView() => new(TenantId, State.DisplayName, State.Lifecycle, State.OperationId, State.CreateTime, State.UpdateTime, State.Version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow of {Tenant} interrupted; its reminder will resume it")]
    private partial void LogWorkflowInterrupted(Exception exception, string tenant);
}
