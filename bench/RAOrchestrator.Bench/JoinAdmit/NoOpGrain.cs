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
