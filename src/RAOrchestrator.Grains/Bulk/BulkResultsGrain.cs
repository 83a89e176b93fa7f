using RAOrchestrator.Abstractions.Bulk;

namespace RAOrchestrator.Grains.Bulk;

/// <summary>
/// Bound: at most 1,000 messages in all (tenants' and accounts', each cut to 200 characters), 1,000 account failures
/// and 1,000 approval paths (see BulkOnboardingGrain.Bounds.cs): under <see cref="MaxStateBytes"/>.
/// </summary>
[GenerateSerializer, Alias("raorch.BulkResultsState")]
public sealed class BulkResultsState
{
    public const int MaxStateBytes = 512 * 1024;

    [Id(0)] public BulkResults? Results { get; set; }
}

[GrainType("bulkresults")]
public sealed class BulkResultsGrain([PersistentState("results", StorageNames.State)] IPersistentState<BulkResultsState> state) : Grain, IBulkResultsGrain
{
    public Task<BulkResults?> GetAsync() => Task.FromResult(state.State.Results);

    public async Task StoreAsync(BulkResults results)
    {
        state.State.Results = results;
        await state.WriteOrDeactivateAsync(this);
    }
}
