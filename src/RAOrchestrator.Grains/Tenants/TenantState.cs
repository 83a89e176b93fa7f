using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Tenants;
using RAOrchestrator.Grains.Workflows;

namespace RAOrchestrator.Grains.Tenants;

[GenerateSerializer, Alias("raorch.TenantState")]
public sealed class TenantState
{
    /// <summary>False before onboarding and after offboarding; the request log outlives the tenant so retries stay answered.</summary>
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string PartnerId { get; set; } = string.Empty;
    [Id(2)] public string DisplayName { get; set; } = string.Empty;
    [Id(3)] public TenantLifecycle Lifecycle { get; set; }
    [Id(4)] public DateTimeOffset CreateTime { get; set; }
    [Id(5)] public DateTimeOffset UpdateTime { get; set; }
    [Id(6)] public long Version { get; set; }

    /// <summary>The last onboarding or offboarding operation.</summary>
    [Id(7)] public string OperationId { get; set; } = string.Empty;

    /// <summary>The workflow in progress, until its outcome is reported.</summary>
    [Id(8)] public WorkflowState? Workflow { get; set; }

    /// <summary>Recent request ids, oldest first.</summary>
    [Id(9)] public List<ProcessedRequest> ProcessedRequests { get; set; } = [];

    /// <summary>What the partner set: meeting settings as confirmed by the tenant admin, licence plan, external access.</summary>
    [Id(10)] public TenantSettings Settings { get; set; } = TenantSettings.Default;

    /// <summary>What the checks learned from the directory.</summary>
    [Id(11)] public TenantFacts Facts { get; set; } = TenantFacts.None;

    /// <summary>The latest readiness report, recomputed when facts or settings change.</summary>
    [Id(12)] public ReadinessReport? Readiness { get; set; }
}
