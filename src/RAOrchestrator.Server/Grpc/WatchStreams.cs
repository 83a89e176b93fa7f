using Grpc.Core;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Server.Grpc;

/// <summary>How every watch stream (sessions, operations) ends early.</summary>
internal static class WatchStreams
{
    /// <summary>
    /// Cancelled when the watcher goes away or this host starts to stop: the stream stops waiting on the grain's long
    /// poll at once, so neither the partner's stream slot nor the host's stop waits for the poll's end.
    /// </summary>
    public static CancellationTokenSource Ending(ServerCallContext context, IHostApplicationLifetime host) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, host.ApplicationStopping);

    /// <summary>
    /// After the wait ended early: a watcher that went away needs no answer; on a stopping host the stream ends
    /// UNAVAILABLE (CLUSTER_UNAVAILABLE), every update it had written first, and the watcher resumes elsewhere.
    /// </summary>
    public static void EndIfHostStopping(IHostApplicationLifetime host)
    {
        if (host.ApplicationStopping.IsCancellationRequested)
        {
            throw OrchestratorException.HostStopping();
        }
    }
}
