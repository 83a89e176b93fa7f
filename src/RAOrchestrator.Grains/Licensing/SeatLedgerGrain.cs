using RAOrchestrator.Abstractions.Licensing;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Licensing;
using RAOrchestrator.Grains.Storage;

namespace RAOrchestrator.Grains.Licensing;

/// <summary>
/// Bound: the tenant's licence SKUs (tens, from Graph) and one hold per account being provisioned (~100 bytes each),
/// released when the account is confirmed or undone; thousands of accounts in flight at once still fit.
/// </summary>
[GenerateSerializer, Alias("raorch.SeatLedgerState")]
public sealed class SeatLedgerState
{
    [Id(0)] public SeatLedger Ledger { get; set; } = SeatLedger.Empty;

    /// <summary>Which account holds which directory user; kept beside the seats so one decision and one write claim both.</summary>
    [Id(1)] public UpnClaims Upns { get; set; } = UpnClaims.Empty;
}

/// <summary>
/// Decisions are synchronous (no await between reading the ledger and changing it), so they still happen one at a
/// time; only the writes interleave: calls that arrive while a write is in flight share the next one (group commit),
/// and none answers before a write holding its change has landed. A tenant's accounts thus reach the directory
/// together instead of one storage write apart, and the gateway can put them in one $batch.
/// </summary>
[GrainType("seatledger"), Reentrant]
public sealed class SeatLedgerGrain(
    [PersistentState("ledger", StorageNames.State)] IPersistentState<SeatLedgerState> state,
    IDirectoryGateway directory,
    TimeProvider time) : Grain, ISeatLedgerGrain
{
    private static readonly TimeSpan MaxInventoryAge = TimeSpan.FromMinutes(1);

    private GroupCommit<SeatLedgerState>? _commit;
    private Task? _refreshing;

    private SeatLedger Ledger
    {
        get => state.State.Ledger;
        set
        {
            state.State.Ledger = value;
            SeatMetrics.Observe(this.GetGrainId(), value);
        }
    }

    private string TenantId => this.GetPrimaryKeyString().Split('/')[1];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        SeatMetrics.Observe(this.GetGrainId(), Ledger);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        SeatMetrics.Untrack(this.GetGrainId());
        return Task.CompletedTask;
    }

    public async Task ReserveAsync(string reservationId, string userPrincipalName, IReadOnlyList<Guid> skus)
    {
        await RefreshIfStaleAsync(force: false);
        var (upns, refused) = state.State.Upns.Claim(userPrincipalName, reservationId, $"tenants/{TenantId}");
        if (refused is not null)
        {
            throw refused;
        }

        var (ledger, exhausted) = Ledger.Reserve(reservationId, skus, time.GetUtcNow());
        if (exhausted is { } sku)
        {
            SeatMetrics.Reservation("refused");
            throw new OrchestratorException(ErrorKind.ResourceExhausted, "NO_SEATS_AVAILABLE",
                $"No seat of SKU {sku} is free in tenant {TenantId}: every seat is assigned or held for an account being provisioned. Buy more or free one.");
        }

        if (!ReferenceEquals(ledger, Ledger))
        {
            SeatMetrics.Reservation("reserved");
        }

        var claimed = !ReferenceEquals(upns, state.State.Upns);
        state.State.Upns = upns;
        await ChangeAsync(ledger, force: claimed);
    }

    public async Task ConfirmAsync(string reservationId)
    {
        var ledger = Ledger.Confirm(reservationId, time.GetUtcNow());
        if (!ReferenceEquals(ledger, Ledger))
        {
            SeatMetrics.Reservation("confirmed");
        }

        await ChangeAsync(ledger);
    }

    public async Task ReleaseAsync(string reservationId)
    {
        var upns = state.State.Upns.Release(reservationId);
        if (Ledger.Holds.ContainsKey(reservationId) || !ReferenceEquals(upns, state.State.Upns))
        {
            SeatMetrics.Reservation("released");
            state.State.Upns = upns;
            await ChangeAsync(Ledger.Release(reservationId), force: true);
        }
    }

    public Task CloseAsync() => SetClaimsAsync(state.State.Upns with { Closed = true });

    public Task ForgetAsync()
    {
        // Holds and claims of accounts that no longer exist; the inventory is read afresh by the next onboarding.
        Ledger = SeatLedger.Empty;
        return SetClaimsAsync(UpnClaims.Empty with { Closed = true }, force: true);
    }

    public Task OpenAsync() => SetClaimsAsync(state.State.Upns with { Closed = false });

    private Task SetClaimsAsync(UpnClaims claims, bool force = false)
    {
        if (!force && claims == state.State.Upns)
        {
            return Task.CompletedTask;
        }

        state.State.Upns = claims;
        return ChangeAsync(Ledger, force: true);
    }

    public Task SeedAsync(IReadOnlyList<LicenceSku> inventory, DateTimeOffset readAt)
    {
        // Never read: no holds either (a reservation reads first), so any recent read is as good as a new one. Kept in
        // memory only: the reservations that follow write it with theirs, and an activation that loses it reads Graph.
        if (Ledger.ReadAt is null && time.GetUtcNow() - readAt < MaxInventoryAge)
        {
            Ledger = Ledger.Refresh(inventory, readAt);
        }

        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<SeatSummary>> SummaryAsync(bool refresh)
    {
        await RefreshIfStaleAsync(refresh);
        return Ledger.Summary();
    }

    /// <summary>One inventory read at a time; reservations arriving meanwhile wait for it.</summary>
    private async Task RefreshIfStaleAsync(bool force)
    {
        if (!force && Ledger.ReadAt is { } readAt && time.GetUtcNow() - readAt < MaxInventoryAge)
        {
            return;
        }

        _refreshing ??= RefreshAsync();
        try
        {
            await _refreshing;
        }
        finally
        {
            _refreshing = null;
        }
    }

    private async Task RefreshAsync()
    {
        var startedAt = time.GetUtcNow();
        var inventory = await directory.GetLicenceInventoryAsync(TenantId);
        await ChangeAsync(Ledger.Refresh(inventory, startedAt));
    }

    /// <summary>Takes the change now and returns once a write that includes it has landed.</summary>
    private async Task ChangeAsync(SeatLedger changed, bool force = false)
    {
        if (!force && ReferenceEquals(changed, Ledger))
        {
            return;
        }

        Ledger = changed;
        await (_commit ??= new(state, this)).CommitAsync();
    }
}
