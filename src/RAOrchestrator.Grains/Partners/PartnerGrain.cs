using Microsoft.Extensions.Options;
using RAOrchestrator.Abstractions.Indexes;
using RAOrchestrator.Abstractions.Partners;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Grains.Storage;

namespace RAOrchestrator.Grains.Partners;

[GrainType("partner")]
public sealed partial class PartnerGrain(
    [PersistentState("partner", StorageNames.State)] IPersistentState<PartnerState> state,
    IOptions<PartnerOptions> options) : Grain, IPartnerGrain
{
    private GroupCommit<PartnerState>? _commit;

    // The indexes as storage holds them: the lists interleave with changes whose write is still in flight.
    private (List<string> Tenants, List<string> Operations) _stored = ([], []);

    private PartnerState State => state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _stored = Snapshot();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Every write of the partner's state: index changes interleave (a partner's tenants onboard together), so the
    /// ones made while a write is in flight share the next one; readers see a change once its write has landed.
    /// </summary>
    private Task CommitAsync() => Commit.CommitAsync();

    /// <summary>A repeat that changes nothing answers once the change an earlier call made has landed.</summary>
    private Task SettledAsync() => Commit.SettledAsync();

    private GroupCommit<PartnerState> Commit => _commit ??= new(state, this, () =>
    {
        var written = Snapshot();
        return () => _stored = written;
    });

    private (List<string>, List<string>) Snapshot() => ([.. State.TenantIds], [.. State.OperationIds]);

    public async Task AddTenantAsync(string tenantId)
    {
        if (State.TenantIds.BinarySearch(tenantId, StringComparer.Ordinal) >= 0)
        {
            await SettledAsync();
            return;
        }

        if (State.TenantIds.Count >= options.Value.MaxTenants)
        {
            throw new OrchestratorException(ErrorKind.ResourceExhausted, Reasons.PartnerTenantQuotaExceeded,
                $"This partner already manages {State.TenantIds.Count} tenants, its limit; offboard one or ask the operator to raise Partners:MaxTenants.");
        }

        SortedKeys.Add(State.TenantIds, tenantId);
        await CommitAsync();
    }

    public async Task RemoveTenantAsync(string tenantId)
    {
        await (SortedKeys.Remove(State.TenantIds, tenantId) ? CommitAsync() : SettledAsync());
    }

    public Task<KeyPage> ListTenantsAsync(string? after, int size) => Task.FromResult(SortedKeys.Page(_stored.Tenants, after, size));

    public async Task AddOperationAsync(string operationId)
    {
        // Recent operations are at the end; a retry finds its id there.
        if (State.OperationIds.LastIndexOf(operationId) >= 0)
        {
            await SettledAsync();
            return;
        }

        State.OperationIds.Add(operationId);
        var excess = State.OperationIds.Count - options.Value.MaxOperations;
        if (excess > 0)
        {
            State.OperationIds.RemoveRange(0, excess);
        }

        await CommitAsync();
    }

    public Task<KeyPage> ListOperationsAsync(string? after, int size)
    {
        var ids = _stored.Operations;
        var end = ids.Count;
        if (after is not null)
        {
            var index = ids.LastIndexOf(after);
            end = index >= 0 ? index : 0;
        }

        var take = Math.Min(size, end);
        var keys = new string[take];
        for (var i = 0; i < take; i++)
        {
            keys[i] = ids[end - 1 - i];
        }

        return Task.FromResult(new KeyPage(keys, end - take > 0));
    }
}
