using Azure.Data.Tables;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RAOrchestrator.Server.Health;

/// <summary>Readiness: the table service that holds grain state, membership and reminders answers.</summary>
public sealed class StorageHealthCheck(TableServiceClient tables) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await foreach (var _ in tables.QueryAsync(maxPerPage: 1, cancellationToken: timeout.Token).AsPages(pageSizeHint: 1))
            {
                break;
            }

            return HealthCheckResult.Healthy("Azure Table storage answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("Azure Table storage does not answer.", ex);
        }
    }
}
