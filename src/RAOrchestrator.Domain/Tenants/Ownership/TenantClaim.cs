namespace RAOrchestrator.Domain.Tenants.Ownership;

/// <summary>Where a partner's claim on a customer tenant stands.</summary>
public enum ClaimStatus
{
    /// <summary>Waiting for an administrator of the tenant to approve or decline it.</summary>
    Pending = 1,

    /// <summary>Approved: the partner owns (or owned) the tenant.</summary>
    Approved = 2,

    /// <summary>An administrator of the tenant declined it.</summary>
    Declined = 3,

    /// <summary>The tenant's administrator approved another partner while this claim waited.</summary>
    Superseded = 4,

    /// <summary>Nobody decided before it expired.</summary>
    Expired = 5,

    /// <summary>Its partner withdrew it (DeleteTenant while it waited).</summary>
    Withdrawn = 6,
}

/// <summary>The administrator of a customer tenant who decided a claim, as their signed id token names them.</summary>
[GenerateSerializer, Immutable, Alias("raorch.TenantAdmin")]
public sealed record TenantAdmin(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string ObjectId,
    [property: Id(2)] string UserPrincipalName,
    [property: Id(3)] string DisplayName)
{
    /// <summary>Who decides a claim that the operator pre-approved in configuration instead of a tenant administrator.</summary>
    public static TenantAdmin Configuration(string tenantId) => new(tenantId, string.Empty, string.Empty, "operator pre-approval");
}

/// <summary>
/// A partner's request to manage a customer tenant. It gives the partner nothing until an administrator of that
/// tenant approves it; until then the partner sees the tenant AWAITING_APPROVAL and the service touches nothing of it.
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.TenantClaim")]
public sealed record TenantClaim(
    [property: Id(0)] string ClaimId,
    [property: Id(1)] string PartnerId,
    [property: Id(2)] string OperationId,
    [property: Id(3)] string DisplayName,
    [property: Id(4)] TenantSettings Settings,
    [property: Id(5)] DateTimeOffset CreateTime,
    [property: Id(6)] DateTimeOffset ExpireTime,
    [property: Id(7)] ClaimStatus Status,
    [property: Id(8)] DateTimeOffset? DecideTime = null,
    [property: Id(9)] TenantAdmin? DecidedBy = null)
{
    public bool Pending => Status == ClaimStatus.Pending;
}
