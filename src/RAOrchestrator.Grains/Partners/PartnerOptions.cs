namespace RAOrchestrator.Grains.Partners;

/// <summary>Per-partner limits.</summary>
public sealed class PartnerOptions
{
    /// <summary>How many tenants one partner may manage. The index lives in one grain state entity, so keep it under ~20,000.</summary>
    public int MaxTenants { get; set; } = 10_000;

    /// <summary>How many operation ids a partner's index keeps; the oldest are dropped first.</summary>
    public int MaxOperations { get; set; } = 5_000;

    /// <summary>Bulk onboardings one partner may have not done at once (RateLimits:MaxRunningBulkOperationsPerPartner).</summary>
    public int MaxRunningBulkOperations { get; set; } = 4;
}
