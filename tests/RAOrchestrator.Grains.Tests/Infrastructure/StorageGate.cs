using System.Collections.Concurrent;
using Orleans.Storage;

namespace RAOrchestrator.Grains.Tests.Infrastructure;

/// <summary>
/// Sits between grains and their real storage and can hold one grain's next write: the test sees the write arrive,
/// looks at the grain while the write is in flight, then lets it through or makes it fail as an outage would. It also
/// counts each grain's writes that storage took.
/// </summary>
public sealed class StorageGate
{
    private readonly ConcurrentDictionary<GrainId, HeldWrite> _held = new();
    private readonly ConcurrentDictionary<GrainId, int> _written = new();
    private readonly ConcurrentDictionary<GrainId, (Func<object?, bool> Condition, TaskCompletionSource Landed)> _awaited = new();

    /// <summary>How many writes of <paramref name="grain"/> storage has taken.</summary>
    public int Writes(GrainId grain) => _written.GetValueOrDefault(grain);

    /// <summary>
    /// Completes once a write of <paramref name="grain"/> whose state meets <paramref name="condition"/> has landed (checked
    /// as each write lands, on the state as it was written): for a test that waits for a grain's last write of a run.
    /// </summary>
    public Task LandedAsync<T>(GrainId grain, Func<T, bool> condition)
    {
        var landed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_awaited.TryAdd(grain, (state => state is T typed && condition(typed), landed)))
        {
            throw new InvalidOperationException($"A write of {grain} is already awaited.");
        }

        return landed.Task;
    }

    /// <summary>Holds the next write of <paramref name="grain"/> until the returned write is released or failed.</summary>
    public HeldWrite HoldNextWrite(GrainId grain)
    {
        var held = new HeldWrite();
        if (!_held.TryAdd(grain, held))
        {
            throw new InvalidOperationException($"A write of {grain} is already held.");
        }

        return held;
    }

    internal async Task PassAsync(GrainId grain)
    {
        if (_held.TryRemove(grain, out var held))
        {
            await held.WaitAsync();
        }
    }

    internal IGrainStorage Wrap(IGrainStorage inner) => new GatedGrainStorage(inner, this);

    public sealed class HeldWrite
    {
        private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _decided = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the grain has asked to write and is waiting on the store.</summary>
        public Task Arrived => _arrived.Task;

        public void Release() => _decided.TrySetResult();

        public void Fail() => _decided.TrySetException(new IOException("The store did not answer (held by the test)."));

        internal Task WaitAsync()
        {
            _arrived.TrySetResult();
            return _decided.Task;
        }
    }

    private sealed class GatedGrainStorage(IGrainStorage inner, StorageGate gate) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            inner.ReadStateAsync(stateName, grainId, grainState);

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            await gate.PassAsync(grainId);
            await inner.WriteStateAsync(stateName, grainId, grainState);
            gate._written.AddOrUpdate(grainId, 1, static (_, n) => n + 1);
            if (gate._awaited.TryGetValue(grainId, out var awaited) && awaited.Condition(grainState.State)
                && gate._awaited.TryRemove(grainId, out _))
            {
                awaited.Landed.TrySetResult();
            }
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            inner.ClearStateAsync(stateName, grainId, grainState);
    }
}
