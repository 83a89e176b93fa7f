
namespace RAOrchestrator.Grains.Tests.Infrastructure;

internal static class OperationWaits
{
    private static readonly TimeSpan RealLimit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Watches <paramref name="operation"/> from <paramref name="seen"/> until it ends, without moving the clock: each watch
    /// waits on the grains' clock for an hour that never passes, so only a new version wakes it (the real limit only ends a stuck test).
    /// </summary>
    public static async Task<OperationView> WatchToEndAsync(this IOperationGrain operation, string partnerId, OperationView seen)
    {
        while (seen.Status is OperationStatus.Pending or OperationStatus.Running)
        {
            seen = await operation.WatchAsync(partnerId, seen.Version, TimeSpan.FromHours(1)).WaitAsync(RealLimit) ?? seen;
        }

        return seen;
    }
}
