using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Grains.Tenants;

public sealed partial class TenantGrain
{
    /// <summary>
    /// The running workflow timer's token: cancelled when the activation stops, so the step's Graph call is abandoned
    /// (the step stays pending and resumes from its reminder) instead of holding the deactivation up.
    /// </summary>
    private CancellationToken _stepCancellation;

    /// <summary>
    /// A step interrupted by an unavailable dependency (Graph down or silent past its deadline) stays running and is
    /// retried; its operation says why meanwhile ("UNAVAILABLE/TIMEOUT: ..."), until the step's outcome replaces it.
    /// Best effort: the retry does not depend on it. Results of earlier steps not yet written are written first, so the
    /// operation never shows a step done that a crash would run again.
    /// </summary>
    private async Task ReportInterruptionAsync(Exception exception)
    {
        if (exception is not OrchestratorException { Kind: ErrorKind.Unavailable } error
            || State.Workflow is not { Outcome: null } workflow
            || workflow.NextStepIndex is not (var index and >= 0)
            || workflow.Steps[index].Status != StepStatus.Running)
        {
            return;
        }

        if (_stepsUnwritten)
        {
            try
            {
                await WriteStepsAsync();
            }
            catch (Exception)
            {
                return; // the write failed too: this activation goes, and the next one resumes from what is stored
            }
        }

        workflow.SetStep(index, StepStatus.Running, $"UNAVAILABLE/{error.Reason}: {error.Message} Retrying.");
        await Operation(workflow.OperationId).ReportAsync(workflow.Progress).ContinueWith(static _ => { }, TaskScheduler.Current);
    }
}
