using Microsoft.Extensions.Options;
using RAOrchestrator.Server.Configuration;

namespace RAOrchestrator.Server.Health;

/// <summary>Runs the storage probe every <see cref="HealthOptions.StorageProbeInterval"/>, so the gauge stays current between readiness probes.</summary>
public sealed class StorageProbeService(StorageProbe probe, IOptions<HealthOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.StorageProbeInterval, time);
        do
        {
            await probe.ProbeAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
