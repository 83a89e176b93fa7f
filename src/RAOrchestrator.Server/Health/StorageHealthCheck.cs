using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RAOrchestrator.Server.Configuration;

namespace RAOrchestrator.Server.Health;

/// <summary>
/// Readiness: the table service that holds grain state, membership and reminders answers. Once it has answered, an
/// outage shorter than <see cref="HealthOptions.StorageGrace"/> is <c>Degraded</c> (still ready: a blip does not take
/// every silo out of its Service at once); longer, or before storage ever answered, it is <c>Unhealthy</c>.
/// </summary>
public sealed class StorageHealthCheck(StorageProbe probe, IOptions<HealthOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (await probe.ProbeAsync(cancellationToken) is not { } failure)
        {
            return HealthCheckResult.Healthy("Azure Table storage answers.");
        }

        var grace = options.Value.StorageGrace;
        var failing = time.GetUtcNow() - (probe.FailingSince ?? time.GetUtcNow());
        return probe.EverAnswered && failing < grace
            ? HealthCheckResult.Degraded(string.Create(CultureInfo.InvariantCulture,
                $"Azure Table storage has not answered for {failing.TotalSeconds:0} s; readiness holds for {grace.TotalSeconds:0} s (Health:StorageGrace)."), failure)
            : HealthCheckResult.Unhealthy("Azure Table storage does not answer.", failure);
    }
}
