using Microsoft.Extensions.Hosting;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Grains;

/// <summary>How a grain's long poll (a session's or an operation's watch) waits for its next change.</summary>
internal static class WatchWait
{
    /// <summary>
    /// Returns when <paramref name="changed"/> completes or after <paramref name="maxWait"/> (the caller then answers
    /// what it has and is asked again). On a silo that is stopping, which waits for running calls before it hands the
    /// grain off, it waits no more: UNAVAILABLE (CLUSTER_UNAVAILABLE), and the watcher asks the grain's next activation.
    /// </summary>
    public static async Task ForChangeAsync(Task changed, TimeSpan maxWait, TimeProvider time, IHostApplicationLifetime host)
    {
        try
        {
            await changed.WaitAsync(maxWait, time, host.ApplicationStopping);
        }
        catch (TimeoutException)
        {
            // Nothing changed within maxWait.
        }
        catch (OperationCanceledException) when (host.ApplicationStopping.IsCancellationRequested)
        {
            throw OrchestratorException.HostStopping();
        }
    }
}
