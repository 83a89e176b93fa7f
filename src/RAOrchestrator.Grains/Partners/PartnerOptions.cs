namespace RAOrchestrator.Grains.Partners;

/// <summary>Per-partner limits.</summary>
public sealed class PartnerOptions
{
    /// <summary>The most <see cref="MaxTenants"/> may be: the index lives in one grain state entity (see <see cref="PartnerState"/>).</summary>
    public const int MaxTenantsBound = 12_000;

    /// <summary>The most <see cref="MaxOperations"/> may be.</summary>
    public const int MaxOperationsBound = 5_000;

    /// <summary>How many tenants one partner may manage (at most <see cref="MaxTenantsBound"/>).</summary>
    public int MaxTenants { get; set; } = 10_000;

    /// <summary>How many operation ids a partner's index keeps; the oldest are dropped first.</summary>
    public int MaxOperations { get; set; } = 5_000;

    /// <summary>Bulk onboardings one partner may have not done at once (RateLimits:MaxRunningBulkOperationsPerPartner).</summary>
    public int MaxRunningBulkOperations { get; set; } = 4;
}
