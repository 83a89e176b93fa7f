namespace RAOrchestrator.Grains.Tenants;

/// <summary>How a partner comes to own a customer tenant.</summary>
public sealed class OwnershipOptions
{
    public const string Section = "Ownership";

    /// <summary>How long a claim waits for the tenant administrator's approval before it expires (default 14 days).</summary>
    public TimeSpan ClaimLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// Tenant ids per partner id that the operator approved outside the service (a contract, GDAP). A claim on one of
    /// them by that partner is approved at once while no other partner owns the tenant. Weaker than an administrator's
    /// sign-in: the operator vouches for it. Empty by default.
    /// </summary>
    public Dictionary<string, List<string>> PreApproved { get; set; } = new(StringComparer.Ordinal);

    public bool IsPreApproved(string partnerId, string tenantId) =>
        PreApproved.TryGetValue(partnerId, out var tenants) && tenants.Exists(t => string.Equals(t, tenantId, StringComparison.OrdinalIgnoreCase));
}
