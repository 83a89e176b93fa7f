using RAOrchestrator.Abstractions.Bulk;

namespace RAOrchestrator.Grains.Bulk;

public enum BulkItemStatus
{
    Pending = 1,
    Running = 2,
    Succeeded = 3,
    NeedsAttention = 4,
    Failed = 5,
    Cancelled = 6,
}

[GenerateSerializer, Alias("raorch.BulkItemState")]
public sealed class BulkItemState
{
    [Id(0)] public required BulkTenant Tenant { get; init; }
    [Id(1)] public BulkItemStatus Status { get; set; } = BulkItemStatus.Pending;
    [Id(2)] public string Reason { get; set; } = string.Empty;
    [Id(3)] public string Message { get; set; } = string.Empty;
    [Id(4)] public int Attempts { get; set; }
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
}
