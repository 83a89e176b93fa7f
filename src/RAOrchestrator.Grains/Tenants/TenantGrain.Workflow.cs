using Microsoft.Extensions.Logging;
using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Tenants;
using RAOrchestrator.Grains.Workflows;

namespace RAOrchestrator.Grains.Tenants;

/// <summary>
/// The tenant's workflows (onboarding, readiness checks, offboarding) run by its <see cref="WorkflowRunner"/>: a step's
/// result is written in the same state write that marks the next step running (or the workflow finished), and the
/// operation hears of both in one report. In onboarding and the readiness checks, steps that end within
/// <see cref="TenantWorkflows.CheckpointInterval"/> of the last write share the next one: a crash repeats the steps run
/// since then, which those steps (reads, and an idempotent registration) allow, and a run of quick reads (tens of
/// milliseconds each) costs one write and one report instead of one each. The steps themselves are in
/// TenantGrain.Checks.cs and TenantGrain.Offboarding.cs.
/// </summary>
public sealed partial class TenantGrain
{
    private static readonly TimeSpan TransientRetry = TimeSpan.FromSeconds(5);

    // Step results this activation holds that are not written yet (the write is due at the next checkpoint).
    private bool _stepsUnwritten;

    /// <summary>Stores a new workflow with the request that started it, records its operation and runs it.</summary>
    private async Task<OperationView> StartWorkflowAsync(string partnerId, string requestId, OperationKind kind, IEnumerable<(string Id, string Title)> steps)
    {
        State.Workflow = WorkflowState.Start(kind, steps);
        State.OperationId = State.Workflow.OperationId;
        Remember(partnerId, requestId, null, State.OperationId);
        await state.WriteOrDeactivateAsync(this);

        var operation = await EnsureWorkflowStartedAsync();
        Runner.Kick();
        return operation;
    }

    /// <summary>
    /// A retried request whose first attempt was carried out: if its workflow is still running, make sure what the
    /// first attempt may not have finished (operation record, reminder) is in place; answer with the operation.
    /// </summary>
    private async Task<OperationView> ResumeAfterRetryAsync(string partnerId, string operationId)
    {
        if (State.Workflow?.OperationId == operationId)
        {
            var operation = await EnsureWorkflowStartedAsync();
            Runner.Kick();
            return operation;
        }

        return await OperationAsync(partnerId, operationId);
    }

    /// <summary>Records the operation and registers the reminder that resumes the workflow after a crash; idempotent.</summary>
    private Task<OperationView> EnsureWorkflowStartedAsync()
    {
        var workflow = State.Workflow!;
        return Runner.RecordAsync(workflow.OperationId, new OperationStart(State.PartnerId, workflow.Kind, Name, workflow.Progress));
    }

    /// <summary>One run of the workflow (the runner keeps it to one at a time).</summary>
    private async Task RunWorkflowAsync(CancellationToken cancellation)
    {
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
            Runner.Kick(TransientRetry);
        }
    }

    private async Task RunPendingStepsAsync()
    {
        if (State.Workflow is null)
        {
            await Runner.ForgetAsync();
            return;
        }

        var workflow = State.Workflow;
        if (!Runner.Recorded(workflow.OperationId))
        {
            // A crash between storing the workflow and recording its operation leaves a workflow whose operation does
            // not exist (progress reports to it would go nowhere, and a retried request would find no operation): put
            // the record in place before the first step runs.
            await EnsureWorkflowStartedAsync();
        }

        var operation = Operation(workflow.OperationId);
        var (written, interval) = (time.GetUtcNow(), TenantWorkflows.CheckpointInterval(workflow.Kind));
        if (workflow.Outcome is null && workflow.NextStepIndex is var first and >= 0 && workflow.Steps[first].Status != StepStatus.Running)
        {
            // The first step's start; every later step's start is written and reported with the result before it.
            workflow.SetStep(first, StepStatus.Running);
            await operation.ReportAsync(workflow.Progress);
        }

        while (workflow.Outcome is null && workflow.NextStepIndex is var index and >= 0)
        {
            var step = workflow.Steps[index];
            using (var activity = Telemetry.Source.StartActivity($"workflow.{step.Id}"))
            {
                activity?.SetTag("raorchestrator.tenant", TenantId);
                activity?.SetTag("raorchestrator.operation", workflow.OperationId);
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
            }

            if (workflow.Outcome is null && workflow.NextStepIndex is var next and >= 0)
            {
                // One write and one report carry the results since the last write and the next step's start.
                workflow.SetStep(next, StepStatus.Running);
                _stepsUnwritten = true;
                if (time.GetUtcNow() - written >= interval)
                {
                    await WriteStepsAsync();
                    await operation.ReportAsync(workflow.Progress);
                    written = time.GetUtcNow();
                }
            }
        }

        // The last step's result (or the failure) is written with the workflow's outcome.
        if (workflow.Outcome is null)
        {
            Complete(workflow);
        }

        await WriteStepsAsync();
        await operation.ReportAsync(workflow.Progress);
        await Runner.ForgetAsync();
        State.Workflow = null;
        await state.WriteOrDeactivateAsync(this);
    }

    private async Task WriteStepsAsync()
    {
        await state.WriteOrDeactivateAsync(this);
        _stepsUnwritten = false;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow of {Tenant} interrupted; its reminder will resume it")]
    private partial void LogWorkflowInterrupted(Exception exception, string tenant);
}
