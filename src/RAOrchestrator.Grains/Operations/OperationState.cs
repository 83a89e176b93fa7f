using RAOrchestrator.Abstractions.Operations;

namespace RAOrchestrator.Grains.Operations;

/// <summary>
/// Bound: a workflow's steps (under ten, with short messages) or a bulk's progress, whose results, account failures
/// and approvals are at most 1,000 each with messages of at most 200 characters (BulkOnboardingGrain.Bounds.cs):
/// under ~500 KB.
/// </summary>
[GenerateSerializer, Alias("raorch.OperationState")]
public sealed class OperationState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string PartnerId { get; set; } = string.Empty;
    [Id(2)] public OperationKind Kind { get; set; }
    [Id(3)] public string Target { get; set; } = string.Empty;
    [Id(4)] public OperationStatus Status { get; set; }
    [Id(5)] public List<StepView> Steps { get; set; } = [];
    [Id(6)] public OperationFailure? Failure { get; set; }
    [Id(7)] public long Version { get; set; }
    [Id(8)] public DateTimeOffset CreateTime { get; set; }
    [Id(9)] public DateTimeOffset UpdateTime { get; set; }
    [Id(10)] public BulkProgress? Bulk { get; set; }
    [Id(11)] public string? ApprovalPath { get; set; }
}
