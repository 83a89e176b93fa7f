namespace RAOrchestrator.Grains.Partners;

/// <summary>
/// Bound: <see cref="PartnerOptions.MaxTenantsBound"/> tenant ids (~38 bytes each) and
/// <see cref="PartnerOptions.MaxOperationsBound"/> operation ids (~34 bytes each), ~630 KB at most; the host refuses
/// settings above them, and a partner at its limit is refused PARTNER_TENANT_QUOTA_EXCEEDED.
/// </summary>
[GenerateSerializer, Alias("raorch.PartnerState")]
public sealed class PartnerState
{
    /// <summary>Tenant ids, kept sorted (ordinal) so pages are stable.</summary>
    [Id(0)] public List<string> TenantIds { get; set; } = [];

    /// <summary>Operation ids, oldest first.</summary>
    [Id(1)] public List<string> OperationIds { get; set; } = [];

    /// <summary>Operation ids of the bulk onboardings not done (see PartnerGrain.Bulk.cs).</summary>
    [Id(2)] public List<string> RunningBulkIds { get; set; } = [];
}
