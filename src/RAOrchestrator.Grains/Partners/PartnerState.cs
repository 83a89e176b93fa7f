namespace RAOrchestrator.Grains.Partners;

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
