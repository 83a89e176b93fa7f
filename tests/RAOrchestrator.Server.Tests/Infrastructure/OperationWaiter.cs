using Grpc.Core;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Server.Tests.Infrastructure;

public static class OperationWaiter
{
    /// <summary>Follows WatchOperation until the operation is done; returns every update seen, in order.</summary>
    public static async Task<IReadOnlyList<Operation>> WatchToEndAsync(this OperationService.OperationServiceClient operations, string name, long afterVersion = 0, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(60));
        using var call = operations.WatchOperation(new WatchOperationRequest { Name = name, AfterVersion = afterVersion }, cancellationToken: timeout.Token);
        var updates = new List<Operation>();
        await foreach (var update in call.ResponseStream.ReadAllAsync(timeout.Token))
        {
            updates.Add(update.Operation);
        }

        return updates;
    }
}
