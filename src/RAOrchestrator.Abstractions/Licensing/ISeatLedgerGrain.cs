using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Licensing;

namespace RAOrchestrator.Abstractions.Licensing;

/// <summary>
/// A tenant's seat ledger, keyed <c>tenants/{tenant}/seatLedger</c>: the licence inventory read from Graph plus the
/// seats this service holds. A grain of its own, so a hundred concurrent reservations do not queue behind the tenant's
/// workflow; being one activation, it decides reservations one at a time and never over-assigns.
/// </summary>
[Alias("raorch.ISeatLedgerGrain")]
public interface ISeatLedgerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Claims the directory user (its UPN) for the reservation's account and holds one seat of each SKU, in one
    /// decision: ALREADY_EXISTS / UPN_IN_USE_BY_ACCOUNT when another account holds the UPN, FAILED_PRECONDITION /
    /// TENANT_NOT_ACTIVE once the tenant is being offboarded, RESOURCE_EXHAUSTED / NO_SEATS_AVAILABLE when a SKU has no
    /// seat. Idempotent per reservation.
    /// </summary>
    [Alias("ReserveForUser")]
    Task ReserveAsync(string reservationId, string userPrincipalName, IReadOnlyList<Guid> skus);

    [Alias("Confirm")]
    Task ConfirmAsync(string reservationId);

    /// <summary>Lets go of the reservation's seats and of the directory user it claimed; idempotent.</summary>
    [Alias("Release")]
    Task ReleaseAsync(string reservationId);

    /// <summary>Offboarding has begun: every reservation from now on is refused (TENANT_NOT_ACTIVE); idempotent.</summary>
    [Alias("Close")]
    Task CloseAsync();

    /// <summary>Offboarding is done: forgets every hold, claim and the inventory, and stays closed until <see cref="OpenAsync"/>.</summary>
    [Alias("Forget")]
    Task ForgetAsync();

    /// <summary>The tenant is onboarded (again): reservations are taken; idempotent.</summary>
    [Alias("Open")]
    Task OpenAsync();

    /// <summary>
    /// Takes an inventory read elsewhere (a tenant's onboarding) when the ledger has never read one, so the first
    /// reservation does not read it from Graph again; otherwise changes nothing.
    /// </summary>
    [Alias("Seed")]
    Task SeedAsync(IReadOnlyList<LicenceSku> inventory, DateTimeOffset readAt);

    /// <summary>Per SKU enabled, consumed, reserved, available; the inventory is read again when older than a minute.</summary>
    [Alias("Summary")]
    Task<IReadOnlyList<SeatSummary>> SummaryAsync(bool refresh);
}
