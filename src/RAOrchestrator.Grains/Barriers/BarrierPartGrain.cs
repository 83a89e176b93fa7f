using RAOrchestrator.Abstractions.Barriers;

namespace RAOrchestrator.Grains.Barriers;

[GenerateSerializer, Alias("raorch.BarrierPartState")]
public sealed class BarrierPartState
{
    [Id(0)] public byte[]? Data { get; set; }
}

/// <summary>One stored part of a compiled barrier version (at most ~400 KiB: one membership shard or the header).</summary>
[GrainType("barrierpart")]
public sealed class BarrierPartGrain(
    [PersistentState("part", StorageNames.State)] IPersistentState<BarrierPartState> state) : Grain, IBarrierPartGrain
{
    public async Task PutAsync(byte[] data)
    {
        state.State.Data = data;
        await state.WriteOrDeactivateAsync(this);
    }

    public async Task ClearAsync()
    {
        state.State = new BarrierPartState();
        await state.ClearStateAsync();
    }

    public Task<byte[]?> GetAsync() => Task.FromResult(state.State.Data);
}
