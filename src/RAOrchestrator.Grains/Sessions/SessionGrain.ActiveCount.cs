using Microsoft.Extensions.Logging;
using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Grains.Sessions;

/// <summary>The stored set of active sessions (<see cref="IActiveSessionsGrain"/>) that the active-sessions gauge counts.</summary>
public sealed partial class SessionGrain
{
    /// <summary>
    /// Marks this session active or not in its shard, after a step changed its status and at every activation (which
    /// mends a mark lost to a crash between the step's write and this call). A failure leaves the step as it is: the
    /// next activation marks again.
    /// </summary>
    private async Task MarkActiveAsync()
    {
        if (Session is not { Status: not SessionStatus.Scheduled } session)
        {
            return;
        }

        try
        {
            await GrainFactory.GetGrain<IActiveSessionsGrain>(ActiveSessionShards.Of(Name)).MarkAsync(Name, session.Status == SessionStatus.Active);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogActiveMarkFailed(ex, Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The active sessions' count does not yet reflect {Session}; its next activation marks it again")]
    private partial void LogActiveMarkFailed(Exception exception, string session);
}
