using RAOrchestrator.Abstractions.Licensing;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Licensing;

namespace RAOrchestrator.Grains.Licensing;

[GenerateSerializer, Alias("raorch.SeatLedgerState")]
public sealed class SeatLedgerState
{
    [Id(0)] public SeatLedger Ledger { get; set; } = SeatLedger.Empty;
}

[GrainType("seatledger")]
public sealed class SeatLedgerGrain(
    [PersistentState("ledger", StorageNames.State)] IPersistentState<SeatLedgerState> state,
    IDirectoryGateway directory,
    TimeProvider time) : Grain, ISeatLedgerGrain
{
    private static readonly TimeSpan MaxInventoryAge = TimeSpan.FromMinutes(1);

    private SeatLedger Ledger { get => state.State.Ledger; set => state.State.Ledger = value; }

    private string TenantId => this.GetPrimaryKeyString().Split('/')[1];

    public async Task ReserveAsync(string reservationId, IReadOnlyList<Guid> skus)
    {
        await RefreshIfStaleAsync(force: false);
        var (ledger, exhausted) = Ledger.Reserve(reservationId, skus, time.GetUtcNow());
        if (exhausted is { } sku)
        {
            throw new OrchestratorException(ErrorKind.ResourceExhausted, "NO_SEATS_AVAILABLE",
                $"No seat of SKU {sku} is free in tenant {TenantId}: every seat is assigned or held for an account being provisioned. Buy more or free one.");
        }

        if (!ReferenceEquals(ledger, Ledger))
        {
            Ledger = ledger;
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public async Task ConfirmAsync(string reservationId)
    {
        var ledger = Ledger.Confirm(reservationId, time.GetUtcNow());
        if (!ReferenceEquals(ledger, Ledger))
        {
            Ledger = ledger;
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public async Task ReleaseAsync(string reservationId)
    {
        if (Ledger.Holds.ContainsKey(reservationId))
        {
            Ledger = Ledger.Release(reservationId);
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public async Task SeedAsync(IReadOnlyList<LicenceSku> inventory, DateTimeOffset readAt)
    {
        // Never read: no holds either (a reservation reads first), so any read is as good as a new one.
        if (Ledger.ReadAt is null && time.GetUtcNow() - readAt < MaxInventoryAge)
        {
            Ledger = Ledger.Refresh(inventory, readAt);
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public async Task<IReadOnlyList<SeatSummary>> SummaryAsync(bool refresh)
    {
        await RefreshIfStaleAsync(refresh);
        return Ledger.Summary();
    }

    private async Task RefreshIfStaleAsync(bool force)
    {
        var now = time.GetUtcNow();
        if (!force && Ledger.ReadAt is { } readAt && now - readAt < MaxInventoryAge)
        {
            return;
        }

        var inventory = await directory.GetLicenceInventoryAsync(TenantId);
        Ledger = Ledger.Refresh(inventory, now);
        await state.WriteOrDeactivateAsync(this);
    }
}
