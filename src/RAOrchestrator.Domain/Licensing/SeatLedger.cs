using System.Collections.Immutable;
using RAOrchestrator.Domain.Directory;

namespace RAOrchestrator.Domain.Licensing;

/// <summary>A hold on seats for one account: reserved before assignment, confirmed after it.</summary>
[GenerateSerializer, Immutable, Alias("raorch.SeatHold")]
public sealed record SeatHold(
    [property: Id(0)] string ReservationId,
    [property: Id(1)] ImmutableArray<Guid> Skus,
    [property: Id(2)] bool Confirmed,
    [property: Id(3)] DateTimeOffset ChangedAt);

/// <summary>Per SKU: what Graph says, what this service holds, what is left.</summary>
[GenerateSerializer, Immutable, Alias("raorch.SeatSummary")]
public sealed record SeatSummary(
    [property: Id(0)] Guid SkuId,
    [property: Id(1)] string PartNumber,
    [property: Id(2)] int Enabled,
    [property: Id(3)] int Consumed,
    [property: Id(4)] int Reserved,
    [property: Id(5)] int Available);

/// <summary>
/// The seat arithmetic of one tenant, pure. Available = enabled − consumed (as Graph last reported it) − seats this
/// service holds that Graph's count may not include yet: every reservation, and confirmations made after the inventory
/// was read. Reading the inventory again drops the confirmations it already counts. So concurrent provisioning never
/// over-assigns, whatever the order of reservations, assignments and refreshes.
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.SeatLedger")]
public sealed record SeatLedger(
    [property: Id(0)] ImmutableArray<LicenceSku> Inventory,
    [property: Id(1)] DateTimeOffset? ReadAt,
    [property: Id(2)] ImmutableDictionary<string, SeatHold> Holds)
{
    public static readonly SeatLedger Empty = new([], null, ImmutableDictionary<string, SeatHold>.Empty);

    public int Available(Guid sku)
    {
        var inventory = Inventory.FirstOrDefault(s => s.SkuId == sku);
        return inventory is null ? 0 : inventory.Enabled - inventory.Consumed - Held(sku);
    }

    /// <summary>Holds the seats, or says which SKU has none left (null when it fits). Idempotent per reservation id.</summary>
    public (SeatLedger Ledger, Guid? Exhausted) Reserve(string reservationId, IReadOnlyList<Guid> skus, DateTimeOffset now)
    {
        if (Holds.ContainsKey(reservationId))
        {
            return (this, null);
        }

        foreach (var sku in skus)
        {
            if (Available(sku) < 1)
            {
                return (this, sku);
            }
        }

        return (this with { Holds = Holds.SetItem(reservationId, new SeatHold(reservationId, [.. skus], false, now)) }, null);
    }

    /// <summary>The licences are assigned: the hold stays until an inventory read counts them.</summary>
    public SeatLedger Confirm(string reservationId, DateTimeOffset now) =>
        Holds.TryGetValue(reservationId, out var hold) && !hold.Confirmed
            ? this with { Holds = Holds.SetItem(reservationId, hold with { Confirmed = true, ChangedAt = now }) }
            : this;

    public SeatLedger Release(string reservationId) => this with { Holds = Holds.Remove(reservationId) };

    /// <summary>A new inventory read started at <paramref name="readStartedAt"/>: confirmations before it are in Graph's count now.</summary>
    public SeatLedger Refresh(IReadOnlyList<LicenceSku> inventory, DateTimeOffset readStartedAt) => this with
    {
        Inventory = [.. inventory],
        ReadAt = readStartedAt,
        Holds = Holds.Where(h => !(h.Value.Confirmed && h.Value.ChangedAt < readStartedAt)).ToImmutableDictionary(),
    };

    public IReadOnlyList<SeatSummary> Summary() =>
        Inventory.Select(s => new SeatSummary(s.SkuId, s.PartNumber, s.Enabled, s.Consumed, Held(s.SkuId), Math.Max(0, Available(s.SkuId)))).ToArray();

    private int Held(Guid sku) => Holds.Values.Count(h => h.Skus.Contains(sku));
}
