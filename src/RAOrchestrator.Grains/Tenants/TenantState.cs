using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Tenants;
using RAOrchestrator.Domain.Tenants.Ownership;
using RAOrchestrator.Grains.Workflows;

namespace RAOrchestrator.Grains.Tenants;

/// <summary>Bound: see TenantGrain.Bounds.cs (request log 192 KiB; settings, claims, history and sign-ins capped).</summary>
[GenerateSerializer, Alias("raorch.TenantState")]
public sealed class TenantState
{
    /// <summary>
    /// Whether a partner owns the tenant: false before an administrator approved one and after offboarding; the
    /// request log outlives the tenant so retries stay answered.
    /// </summary>
    public bool Exists => Ownership.Owner is not null;

    /// <summary>The owning partner, or empty.</summary>
    public string PartnerId => Ownership.Owner ?? string.Empty;

    /// <summary>The owner, the claims waiting for the tenant administrator (and the last decided ones), and the audit timeline.</summary>
    [Id(13)] public TenantOwnership Ownership { get; set; } = TenantOwnership.None;

    /// <summary>Sign-ins started from approval pages, each alive ten minutes; at most <see cref="MaxSignIns"/>.</summary>
    [Id(14)] public List<StoredSignIn> SignIns { get; set; } = [];

    /// <summary>What decided or expired claims still have to tell their operations and partner indexes (an outbox).</summary>
    [Id(15)] public List<ClaimNotice> Notices { get; set; } = [];

    public const int MaxSignIns = 16;
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

/// <summary>A sign-in started from an approval page (see <c>ApprovalSignInStart</c>): hashes only.</summary>
[GenerateSerializer, Immutable, Alias("raorch.StoredSignIn")]
public sealed record StoredSignIn(
    [property: Id(0)] string ClaimId,
    [property: Id(1)] string StateHash,
    [property: Id(2)] string BindingHash,
    [property: Id(3)] RAOrchestrator.Abstractions.Tenants.ApprovalDecision Decision,
    [property: Id(4)] DateTimeOffset ExpireTime);
