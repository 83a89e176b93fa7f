namespace RAOrchestrator.Abstractions.Operations;

public enum OperationKind
{
    OnboardTenant = 1,
    OffboardTenant = 2,
    CheckTenantReadiness = 3,
    BulkOnboarding = 4,
    ApplyBarrierPolicies = 5,
}

public enum OperationStatus
{
    Pending = 1,
    Running = 2,
    Succeeded = 3,
    Failed = 4,
    Cancelled = 5,
}

public enum StepStatus
{
    Pending = 1,
    Running = 2,
    Succeeded = 3,
    Failed = 4,
    Skipped = 5,
}

/// <summary>One step of a workflow as callers see it.</summary>
[GenerateSerializer, Immutable, Alias("raorch.StepView")]
public sealed record StepView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] StepStatus Status,
    [property: Id(3)] string Message);

/// <summary>Why an operation failed: a gRPC status code, an UPPER_SNAKE reason and a message for people.</summary>
[GenerateSerializer, Immutable, Alias("raorch.OperationFailure")]
public sealed record OperationFailure(
    [property: Id(0)] int Code,
    [property: Id(1)] string Reason,
    [property: Id(2)] string Message);

/// <summary>A long-running operation as callers see it.</summary>
[GenerateSerializer, Immutable, Alias("raorch.OperationView")]
public sealed record OperationView(
    [property: Id(0)] string OperationId,
    [property: Id(1)] OperationKind Kind,
    [property: Id(2)] OperationStatus Status,
    [property: Id(3)] string Target,
    [property: Id(4)] IReadOnlyList<StepView> Steps,
    [property: Id(5)] OperationFailure? Failure,
    [property: Id(6)] long Version,
    [property: Id(7)] DateTimeOffset CreateTime,
    [property: Id(8)] DateTimeOffset UpdateTime,
    [property: Id(9)] BulkProgress? Bulk = null,
    [property: Id(10)] string? ApprovalPath = null)
{
    public bool Done => Status is OperationStatus.Succeeded or OperationStatus.Failed or OperationStatus.Cancelled;

    public int ProgressPercent => Steps.Count == 0
        ? (Done ? 100 : 0)
        : 100 * Steps.Count(s => s.Status is StepStatus.Succeeded or StepStatus.Skipped) / Steps.Count;
}

/// <summary>
/// What the owner of an operation reports: its status, steps and failure, replacing the previous report. While a
/// tenant's onboarding waits for its administrator, <c>ApprovalPath</c> is the approval page's path on the service's
/// web endpoint (<c>tenant-approval/{tenant}/{claim}</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.OperationProgress")]
public sealed record OperationProgress(
    [property: Id(0)] OperationStatus Status,
    [property: Id(1)] IReadOnlyList<StepView> Steps,
    [property: Id(2)] OperationFailure? Failure,
    [property: Id(3)] BulkProgress? Bulk = null,
    [property: Id(4)] string? ApprovalPath = null);

/// <summary>An item of a bulk operation that did not succeed.</summary>
[GenerateSerializer, Immutable, Alias("raorch.BulkItemResult")]
public sealed record BulkItemResult(
    [property: Id(0)] string Target,
    [property: Id(1)] string Outcome,
    [property: Id(2)] string Reason,
    [property: Id(3)] string Message);

/// <summary>Counts by state of a bulk operation's items, and the items that did not succeed.</summary>
[GenerateSerializer, Immutable, Alias("raorch.BulkProgress")]
public sealed record BulkProgress(
    [property: Id(0)] int Total,
    [property: Id(1)] int Pending,
    [property: Id(2)] int Running,
    [property: Id(3)] int Succeeded,
    [property: Id(4)] int NeedsAttention,
    [property: Id(5)] int Failed,
    [property: Id(6)] int Cancelled,
    [property: Id(7)] IReadOnlyList<BulkItemResult> ItemResults,
    [property: Id(8)] BulkAccountProgress? Accounts = null,
    [property: Id(9)] int AwaitingApproval = 0,
    [property: Id(10)] IReadOnlyList<BulkPendingApproval>? PendingApprovals = null)
{
    public bool Equivalent(BulkProgress? other) =>
        other is not null && (Total, Pending, Running, Succeeded, NeedsAttention, Failed, Cancelled, AwaitingApproval) == (other.Total, other.Pending, other.Running, other.Succeeded, other.NeedsAttention, other.Failed, other.Cancelled, other.AwaitingApproval)
        && ItemResults.SequenceEqual(other.ItemResults) && Accounts == other.Accounts
        && (PendingApprovals ?? []).SequenceEqual(other.PendingApprovals ?? []);
}

/// <summary>A tenant of a bulk operation that waits for its administrator: the approval page's path to send them.</summary>
[GenerateSerializer, Immutable, Alias("raorch.BulkPendingApproval")]
public sealed record BulkPendingApproval(
    [property: Id(0)] string Target,
    [property: Id(1)] string ApprovalPath);

/// <summary>
/// Counts by state of the service accounts in a bulk operation's plans, always adding up to the total. Skipped: their
/// tenant did not become ACTIVE; cancelled: not started because the operation was cancelled.
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.BulkAccountProgress")]
public sealed record BulkAccountProgress(
    [property: Id(0)] int Total,
    [property: Id(1)] int Pending,
    [property: Id(2)] int Running,
    [property: Id(3)] int Succeeded,
    [property: Id(4)] int Failed,
    [property: Id(5)] int Skipped,
    [property: Id(6)] int Cancelled);

/// <summary>What an operation is when it is first recorded.</summary>
[GenerateSerializer, Immutable, Alias("raorch.OperationStart")]
public sealed record OperationStart(
    [property: Id(0)] string PartnerId,
    [property: Id(1)] OperationKind Kind,
    [property: Id(2)] string Target,
    [property: Id(3)] OperationProgress Progress);
