using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RAOrchestrator.Domain.Licensing;

namespace RAOrchestrator.Grains.Licensing;

/// <summary>
/// Seat metrics on the "RAOrchestrator" meter. Reservation decisions are counted where the ledger makes them; seats
/// held and free are observed from the seat ledgers active on this silo (each tenant's ledger is active on one silo
/// at a time, so a sum over silos counts each tenant once; a ledger idle past Orleans' collection age drops out until
/// its next use). By licence SKU part number, a bounded set; never by tenant.
/// </summary>
internal static class SeatMetrics
{
    private static readonly ConcurrentDictionary<GrainId, SeatLedger> Ledgers = new();

    /// <summary>Decisions of seat ledgers: reserved, refused (no seat free), confirmed (licence assigned), released.</summary>
    public static readonly Counter<long> Reservations = Telemetry.Meter.CreateCounter<long>(
        "raorchestrator.seats.reservations", unit: "{reservation}", description: "Seat reservations decided by tenants' seat ledgers, by outcome (reserved, refused, confirmed, released).");

    private static readonly ObservableGauge<long> Reserved = Telemetry.Meter.CreateObservableGauge(
        "raorchestrator.seats.reserved", () => Measure(s => s.Reserved), unit: "{seat}",
        description: "Seats this service holds for accounts being provisioned or just provisioned, by SKU, over the seat ledgers active on this silo.");

    private static readonly ObservableGauge<long> Available = Telemetry.Meter.CreateObservableGauge(
        "raorchestrator.seats.available", () => Measure(s => s.Available), unit: "{seat}",
        description: "Seats free to reserve (enabled - consumed - held), by SKU, over the seat ledgers active on this silo.");

    public static void Reservation(string outcome) => Reservations.Add(1, new KeyValuePair<string, object?>("seats.outcome", outcome));

    /// <summary>
    /// The ledger's current version, for the gauges to read on the metrics thread: a grain's persistent state may only be
    /// touched inside the grain, but a <see cref="SeatLedger"/> is immutable, so handing it over is safe.
    /// </summary>
    public static void Observe(GrainId grain, SeatLedger ledger) => Ledgers[grain] = ledger;

    public static void Untrack(GrainId grain) => Ledgers.TryRemove(grain, out _);

    /// <summary>The observable gauges, created with this type (their callbacks read the observed ledgers).</summary>
    internal static IReadOnlyList<Instrument> Gauges => [Reserved, Available];

    private static IEnumerable<Measurement<long>> Measure(Func<SeatSummary, int> value) =>
        Ledgers.Values
            .SelectMany(ledger => ledger.Summary())
            .GroupBy(s => s.PartNumber, StringComparer.Ordinal)
            .Select(sku => new Measurement<long>(sku.Sum(value), new KeyValuePair<string, object?>("licence.sku", sku.Key)));
}
