using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RAOrchestrator.Server.Health;

/// <summary>Readiness: this silo has joined the cluster and is active.</summary>
public sealed class SiloHealthCheck(ISiloStatusOracle oracle) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(oracle.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy("The silo is active in the cluster.")
            : HealthCheckResult.Unhealthy($"The silo is {oracle.CurrentStatus}."));
}
