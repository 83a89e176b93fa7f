namespace RAOrchestrator.Abstractions.Operations;

/// <summary>
/// The record of one long-running operation, keyed <c>operations/{id}</c>. The grain that runs the work
/// reports progress here; callers read and watch it. It never calls back into the owner.
/// </summary>
[Alias("raorch.IOperationGrain")]
public interface IOperationGrain : IGrainWithStringKey
{
    /// <summary>Records the operation; a second call with the same start is a no-op returning the record.</summary>
    [Alias("Start")]
    Task<OperationView> StartAsync(OperationStart start);

    /// <summary>Replaces status and steps; bumps the version only when something changed.</summary>
    [Alias("Report")]
    Task<OperationView> ReportAsync(OperationProgress progress);

    /// <summary>The operation, or null when it does not exist for this partner.</summary>
    [Alias("TryGet"), ReadOnly]
    Task<OperationView?> TryGetAsync(string partnerId);

    /// <summary>
    /// Returns as soon as the version is above <paramref name="afterVersion"/>, or after <paramref name="maxWait"/>
    /// with the current state; null when the operation does not exist for this partner. On a silo that is stopping it
    /// waits no more: UNAVAILABLE (CLUSTER_UNAVAILABLE), and the watcher asks again.
    /// </summary>
    [Alias("Watch"), AlwaysInterleave]
    Task<OperationView?> WatchAsync(string partnerId, long afterVersion, TimeSpan maxWait);
}
