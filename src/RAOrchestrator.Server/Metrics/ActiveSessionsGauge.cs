using System.Diagnostics.Metrics;
using RAOrchestrator.Abstractions.Sessions;

namespace RAOrchestrator.Server.Metrics;

/// <summary>
/// <c>raorchestrator.sessions.active</c>: the sessions whose state is Active, summed over the stored shards of
/// <see cref="IActiveSessionsGrain"/> every <see cref="Interval"/>. Computed from what is stored, so every silo reports
/// the same cluster-wide count (dashboards take the max over silos, not the sum) and a restarted silo reports it
/// again after its first read; nothing is reported until then, or while storage does not answer.
/// </summary>
public sealed partial class ActiveSessionsGauge : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly ILogger<ActiveSessionsGauge> _logger;
    private long _count = -1; // -1: not counted (yet, or storage does not answer)

    public ActiveSessionsGauge(IGrainFactory grains, TimeProvider time, IMeterFactory meters, ILogger<ActiveSessionsGauge> logger)
    {
        _grains = grains;
        _time = time;
        _logger = logger;
        meters.Create(Grains.Telemetry.Name).CreateObservableGauge(
            "raorchestrator.sessions.active", Observe, unit: "{session}",
            description: "Remote Assist sessions currently active, cluster-wide, counted from the stored set of active sessions.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        do
        {
            try
            {
                var counts = await Task.WhenAll(Enumerable.Range(0, ActiveSessionShards.Count)
                    .Select(shard => _grains.GetGrain<IActiveSessionsGrain>(shard).CountAsync()));
                Interlocked.Exchange(ref _count, counts.Sum());
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Interlocked.Exchange(ref _count, -1);
                LogReadFailed(_logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private IEnumerable<Measurement<long>> Observe() => Interlocked.Read(ref _count) is >= 0 and var count ? [new Measurement<long>(count)] : [];

    [LoggerMessage(Level = LogLevel.Warning, Message = "The active sessions could not be counted; the gauge reports nothing until they can")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
