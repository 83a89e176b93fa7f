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
    /// <summary>Holds one seat of each SKU; RESOURCE_EXHAUSTED / NO_SEATS_AVAILABLE when one has none. Idempotent per reservation.</summary>
    [Alias("Reserve")]
    Task ReserveAsync(string reservationId, IReadOnlyList<Guid> skus);

    [Alias("Confirm")]
    Task ConfirmAsync(string reservationId);

    [Alias("Release")]
    Task ReleaseAsync(string reservationId);

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
