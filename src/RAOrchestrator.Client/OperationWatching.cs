using Grpc.Core;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Client;

/// <summary>Follows an operation to its end with WatchOperation, reconnecting from the last version seen.</summary>
public static class OperationWatching
{
    /// <summary>
    /// Calls <paramref name="onUpdate"/> with each version of the operation and returns the final one. A stream that
    /// breaks (UNAVAILABLE, a silo moving) is resumed after the last version seen, up to <paramref name="maxReconnects"/> times.
    /// </summary>
    public static async Task<Operation> WatchUntilDoneAsync(
        this OperationService.OperationServiceClient operations,
        string name,
        Action<Operation>? onUpdate = null,
        int maxReconnects = 5,
        CancellationToken cancellationToken = default)
    {
        Operation? last = null;
        var reconnects = 0;
        while (true)
        {
            try
            {
                using var call = operations.WatchOperation(new WatchOperationRequest { Name = name, AfterVersion = last?.Version ?? 0 }, cancellationToken: cancellationToken);
                await foreach (var update in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    last = update.Operation;
                    onUpdate?.Invoke(last);
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable && reconnects < maxReconnects)
            {
                reconnects++;
                await Task.Delay(TimeSpan.FromMilliseconds(200 * reconnects), cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (last is { Done: true })
            {
                return last;
            }

            // The stream ended without the final update (a server restart between updates): resume.
            if (reconnects++ >= maxReconnects)
            {
                return last ?? (await operations.GetOperationAsync(new GetOperationRequest { Name = name }, cancellationToken: cancellationToken)).Operation;
            }
        }
    }
}
