using System.Collections.Concurrent;

namespace RAOrchestrator.Grains.Tests.Infrastructure;

/// <summary>
/// Counts, per grain and method, the calls the grain has started to run (up to their first await). Orleans does not
/// promise that calls reach a grain in the order they were made, so a test that needs calls it made to be inside the
/// grain before it moves on waits here for them.
/// </summary>
public sealed class GrainCalls : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<(GrainId Grain, string Method), int> _started = new();

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var running = context.Invoke();
        _started.AddOrUpdate((context.TargetId, context.MethodName), 1, static (_, n) => n + 1);
        await running;
    }

    /// <summary>Returns once <paramref name="grain"/> has started <paramref name="count"/> calls of <paramref name="method"/>.</summary>
    public async Task StartedAsync(GrainId grain, string method, int count, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (_started.GetValueOrDefault((grain, method)) < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{grain} started {_started.GetValueOrDefault((grain, method))} calls of {method}, not {count}, within {limit}.");
            }

            await Task.Delay(10);
        }
    }
}
