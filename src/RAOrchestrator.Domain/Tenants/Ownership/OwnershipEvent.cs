namespace RAOrchestrator.Domain.Tenants.Ownership;

/// <summary>What happened to a tenant's ownership.</summary>
public enum OwnershipEventKind
{
    Claimed = 1,
    Approved = 2,
    Declined = 3,
    Superseded = 4,
    Expired = 5,
    /// <summary>The owner offboarded the tenant and let it go.</summary>
    Released = 6,
    Withdrawn = 7,
}

/// <summary>One entry of a tenant's ownership audit timeline: who did what, for which partner's claim, and when.</summary>
[GenerateSerializer, Immutable, Alias("raorch.OwnershipEvent")]
public sealed record OwnershipEvent(
    [property: Id(0)] DateTimeOffset Time,
    [property: Id(1)] OwnershipEventKind Kind,
    [property: Id(2)] string PartnerId,
    [property: Id(3)] string ClaimId,
    [property: Id(4)] TenantAdmin? Admin = null);
