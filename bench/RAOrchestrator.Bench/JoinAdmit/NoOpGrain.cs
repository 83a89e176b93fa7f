namespace RAOrchestrator.Bench.JoinAdmit;

/// <summary>A grain that does nothing: what a grain call costs before any work or storage.</summary>
[Alias("raorch.bench.INoOpGrain")]
public interface INoOpGrain : IGrainWithIntegerKey
{
    /// <summary>Returns at once.</summary>
    [Alias("Ping")]
    Task PingAsync();
}

[GrainType("bench-noop")]
public sealed class NoOpGrain : Grain, INoOpGrain
{
    public Task PingAsync() => Task.CompletedTask;
}

/// <summary>
/// A grain that makes one small durable write per call: the least any acknowledged change can cost here (one Azure
/// Table round trip to Azurite), the floor under every mutating RPC such as a join or an admission.
/// </summary>
[Alias("raorch.bench.IOneWriteGrain")]
public interface IOneWriteGrain : IGrainWithIntegerKey
{
    /// <summary>Counts the call in its stored state and answers once the write is acknowledged.</summary>
    [Alias("Touch")]
    Task TouchAsync();
}

[GenerateSerializer, Alias("raorch.bench.OneWriteState")]
public sealed class OneWriteState
{
    [Id(0)] public long Calls { get; set; }
}

[GrainType("bench-one-write")]
public sealed class OneWriteGrain([PersistentState("bench", RAOrchestrator.Grains.StorageNames.State)] IPersistentState<OneWriteState> state) : Grain, IOneWriteGrain
{
    public async Task TouchAsync()
    {
        state.State.Calls++;
        await state.WriteStateAsync();
    }
}
