using RAOrchestrator.Abstractions.Bulk;
using RAOrchestrator.Abstractions.Operations;

namespace RAOrchestrator.Grains.Bulk;

public enum BulkItemStatus
{
    Pending = 1,
    Running = 2,
    Succeeded = 3,
    NeedsAttention = 4,
    Failed = 5,
    Cancelled = 6,

    /// <summary>Claimed; waits for an administrator of the tenant to approve the partner. Holds no parallelism slot.</summary>
    AwaitingApproval = 7,
}

[GenerateSerializer, Alias("raorch.BulkItemState")]
public sealed class BulkItemState
{
    [Id(0)] public required BulkTenant Tenant { get; init; }
    [Id(1)] public BulkItemStatus Status { get; set; } = BulkItemStatus.Pending;
    [Id(2)] public string Reason { get; set; } = string.Empty;
    [Id(3)] public string Message { get; set; } = string.Empty;
    [Id(4)] public int Attempts { get; set; }

    /// <summary>The plan part holding this tenant's service accounts; -1 when it has none.</summary>
    [Id(5)] public int PlanPart { get; set; } = -1;

    /// <summary>Service accounts in the tenant's plan.</summary>
    [Id(6)] public int Accounts { get; set; }
    [Id(7)] public int AccountsSucceeded { get; set; }
    [Id(8)] public int AccountsFailed { get; set; }
    [Id(9)] public int AccountsCancelled { get; set; }

    /// <summary>The tenant is ACTIVE and its accounts are being provisioned.</summary>
    [Id(10)] public bool AccountsStarted { get; set; }

    /// <summary>While AwaitingApproval: the approval page's path to send the tenant's administrator.</summary>
    [Id(11)] public string? ApprovalPath { get; set; }
}

[GenerateSerializer, Alias("raorch.BulkOnboardingState")]
public sealed class BulkOnboardingState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string PartnerId { get; set; } = string.Empty;
    [Id(2)] public int MaxParallelism { get; set; }
    [Id(3)] public List<BulkItemState> Items { get; set; } = [];
    [Id(4)] public bool CancelRequested { get; set; }
    [Id(5)] public bool Finished { get; set; }

    /// <summary>Accounts that failed, with their reasons (the first 1,000; the counts are always complete).</summary>
    [Id(6)] public List<BulkItemResult> AccountFailures { get; set; } = [];
}
