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
    /// <summary>The tenant's id; its name and settings live in the plan parts.</summary>
    [Id(0)] public string TenantId { get; init; } = string.Empty;

    [Id(1)] public BulkItemStatus Status { get; set; } = BulkItemStatus.Pending;
    [Id(2)] public string Reason { get; set; } = string.Empty;

    /// <summary>Kept in the results row (<see cref="BulkResultsGrain"/>), not in the coordinator's.</summary>
    [field: NonSerialized]
    public string Message { get; set; } = string.Empty;
    [Id(4)] public int Attempts { get; set; }

    /// <summary>The plan part holding this tenant as the request listed it (name, settings, service accounts).</summary>
    [Id(5)] public int PlanPart { get; set; }

    /// <summary>Service accounts in the tenant's plan.</summary>
    [Id(6)] public int Accounts { get; set; }
    [Id(7)] public int AccountsSucceeded { get; set; }
    [Id(8)] public int AccountsFailed { get; set; }
    [Id(9)] public int AccountsCancelled { get; set; }

    /// <summary>The tenant is ACTIVE and its accounts are being provisioned.</summary>
    [Id(10)] public bool AccountsStarted { get; set; }

    /// <summary>While AwaitingApproval: the approval page's path to send the tenant's administrator.</summary>
    /// <remarks>Kept in the results row, not in the coordinator's.</remarks>
    [field: NonSerialized]
    public string? ApprovalPath { get; set; }
}

/// <summary>
/// The coordinator's state. Bound: <see cref="BulkOnboardingGrain.MaxStateBytes"/> for the contract's largest bulk
/// (5,000 tenants): per tenant only its id, status, reason and counts; at most 1,000 messages in all (items and
/// accounts, each cut to <see cref="BulkOnboardingGrain.MaxStoredMessageLength"/>), 1,000 account failures and 1,000
/// approval paths; names, settings and accounts live in the plan parts (<see cref="BulkPlanGrain"/>).
/// </summary>
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
    /// <remarks>Kept in the results row, not in the coordinator's.</remarks>
    [field: NonSerialized]
    public List<BulkItemResult> AccountFailures { get; set; } = [];
}
