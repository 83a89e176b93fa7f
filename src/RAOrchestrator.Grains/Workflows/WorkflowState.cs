using RAOrchestrator.Abstractions.Operations;

namespace RAOrchestrator.Grains.Workflows;

/// <summary>
/// A durable workflow in its owner's state: the operation it reports to and its steps. A step is marked done in the
/// same state write that records its effects, so a crash repeats only steps whose results were not written (the
/// running one, or with a tenant's checks the quick ones since the last write), and every step is written to be safe
/// to repeat.
/// </summary>
[GenerateSerializer, Alias("raorch.WorkflowState")]
public sealed class WorkflowState
{
    [Id(0)] public string OperationId { get; set; } = string.Empty;
    [Id(1)] public OperationKind Kind { get; set; }
    [Id(2)] public List<StepView> Steps { get; set; } = [];

    /// <summary>Set once every step ran (or one failed); the owner still has to report it and clean up.</summary>
    [Id(3)] public OperationStatus? Outcome { get; set; }
    [Id(4)] public OperationFailure? Failure { get; set; }

    public static WorkflowState Start(OperationKind kind, IEnumerable<(string Id, string Title)> steps) => new()
    {
        OperationId = Guid.NewGuid().ToString("N"),
        Kind = kind,
        Steps = steps.Select(s => new StepView(s.Id, s.Title, StepStatus.Pending, string.Empty)).ToList(),
    };

    /// <summary>A workflow whose operation was recorded earlier (a claim's onboarding once it is approved); its first steps are already done.</summary>
    public static WorkflowState Continue(string operationId, OperationKind kind, IEnumerable<(string Id, string Title)> steps, int done, string message)
    {
        var workflow = Start(kind, steps);
        workflow.OperationId = operationId;
        for (var i = 0; i < done; i++)
        {
            workflow.SetStep(i, StepStatus.Succeeded, message);
        }

        return workflow;
    }

    public OperationProgress Progress => new(Outcome ?? (Steps.Any(s => s.Status != StepStatus.Pending) ? OperationStatus.Running : OperationStatus.Pending), Steps.ToArray(), Failure);

    public int NextStepIndex => Steps.FindIndex(s => s.Status is StepStatus.Pending or StepStatus.Running);

    public void SetStep(int index, StepStatus status, string message = "") => Steps[index] = Steps[index] with { Status = status, Message = message };
}
