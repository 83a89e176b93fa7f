using Azure;
using Grpc.Core;
using Orleans.Storage;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Server.Grpc;

/// <summary>
/// What a handler throws, as the status the caller gets (<see cref="RpcErrors"/>): domain errors with their reason and
/// field, storage and cluster trouble as UNAVAILABLE, a concurrent change as ABORTED, anything else as INTERNAL (logged).
/// </summary>
public sealed partial class ErrorStatusMapping(ILogger<ErrorStatusMapping> logger)
{
    public RpcException Map(Exception ex, ServerCallContext context)
    {
        if (ex is OrchestratorException known)
        {
            return RpcErrors.From(known);
        }

        if (ex is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
        {
            return RpcErrors.Cancelled();
        }

        // Before the concurrency check: Orleans reports an unreachable table as an inconsistent state too.
        if (IsStorageUnreachable(ex))
        {
            LogTransient(ex, context.Method);
            return RpcErrors.Unavailable(Reasons.StorageUnavailable, "Storage is unavailable; nothing was changed that was not acknowledged. Retry with the same request_id.");
        }

        switch (ex)
        {
            case InconsistentStateException:
                return RpcErrors.From(new OrchestratorException(ErrorKind.Aborted, "CONCURRENT_UPDATE", "The resource was changed concurrently; retry the request."));
            case TimeoutException:
                LogTransient(ex, context.Method);
                return RpcErrors.Unavailable(Reasons.Timeout, "The request timed out inside the service; it is safe to retry with the same request_id.");
            case SiloUnavailableException or OrleansMessageRejectionException:
                LogTransient(ex, context.Method);
                return RpcErrors.Unavailable(Reasons.ClusterUnavailable, "A part of the cluster is unavailable; retry with the same request_id.");
        }

        LogUnexpected(ex, context.Method);
        return RpcErrors.Internal();
    }

    /// <summary>No answer from storage (refused, reset, timed out) or a server-side failure; not an etag conflict.</summary>
    private static bool IsStorageUnreachable(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is RequestFailedException { Status: 0 or >= 500 } or HttpRequestException or System.Net.Sockets.SocketException)
            {
                return true;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsStorageUnreachable))
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transient failure in {Method}")]
    private partial void LogTransient(Exception exception, string method);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure in {Method}")]
    private partial void LogUnexpected(Exception exception, string method);
}
