
namespace RAOrchestrator.Grains.Tests;

/// <summary>Watchers of an operation see only versions that storage holds: a report is visible once written, never before.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class OperationWatchTests(GrainCluster cluster)
{
    private const string Partner = "partner-watch";
    private static readonly TimeSpan ShortWait = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task A_report_whose_write_fails_is_never_seen_by_a_watcher()
    {
        var operation = await StartAsync();
        var held = cluster.Gate.HoldNextWrite(operation.GetGrainId());

        var report = operation.ReportAsync(Running("written-never"));
        await held.Arrived;
        var seenDuringWrite = await cluster.Clock.AdvanceUntilAsync(operation.WatchAsync(Partner, afterVersion: 1, ShortWait), ShortWait);
        held.Fail();
        await Assert.ThrowsAnyAsync<Exception>(() => report);

        Assert.NotNull(seenDuringWrite);
        Assert.Equal(1, seenDuringWrite.Version);
        Assert.Equal(OperationStatus.Pending, seenDuringWrite.Status);
        var afterFailure = await operation.TryGetAsync(Partner);
        Assert.Equal(1, afterFailure!.Version);
        Assert.Equal(OperationStatus.Pending, afterFailure.Status);
    }

    [Fact]
    public async Task A_watcher_waiting_through_a_write_wakes_with_the_stored_version()
    {
        var operation = await StartAsync();
        var held = cluster.Gate.HoldNextWrite(operation.GetGrainId());

        var report = operation.ReportAsync(Running("written"));
        await held.Arrived;
        var watch = operation.WatchAsync(Partner, afterVersion: 1, TimeSpan.FromSeconds(20));
        await Task.Delay(ShortWait);
        Assert.False(watch.IsCompleted, "the watcher woke before the report was stored");
        held.Release();
        await report;

        var seen = await watch;
        Assert.Equal(2, seen!.Version);
        Assert.Equal(OperationStatus.Running, seen.Status);
        Assert.Equal("written", seen.Steps.Single().Message);
    }

    private async Task<IOperationGrain> StartAsync()
    {
        var operation = cluster.Grains.GetGrain<IOperationGrain>(ResourceName.Operation(Guid.NewGuid().ToString("N")));
        var started = await operation.StartAsync(new OperationStart(Partner, OperationKind.BulkOnboarding, "bulkOnboardings/watch",
            new OperationProgress(OperationStatus.Pending, [new StepView("work", "Work", StepStatus.Pending, "")], null)));
        Assert.Equal(1, started.Version);
        return operation;
    }

    private static OperationProgress Running(string message) =>
        new(OperationStatus.Running, [new StepView("work", "Work", StepStatus.Running, message)], null);
}
