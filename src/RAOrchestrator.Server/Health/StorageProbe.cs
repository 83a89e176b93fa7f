using System.Diagnostics.Metrics;
using Azure.Data.Tables;

namespace RAOrchestrator.Server.Health;

/// <summary>
/// Asks the table service that holds grain state, membership and reminders for one page of tables, and remembers the
/// answer: whether it answered last time, and since when it has not. The <c>raorchestrator.storage.healthy</c> gauge
/// (1 answered, 0 did not) reports the last answer for alerting.
/// </summary>
public sealed class StorageProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private readonly TableServiceClient _tables;
    private readonly TimeProvider _time;
    private readonly Lock _sync = new();
    private bool? _answered;

    public StorageProbe(TableServiceClient tables, TimeProvider time, IMeterFactory meters)
    {
        _tables = tables;
        _time = time;
        meters.Create(Grains.Telemetry.Name).CreateObservableGauge(
            "raorchestrator.storage.healthy", Observe, unit: "1",
            description: "1 while Azure Table storage answers this silo's storage probe, 0 while it does not.");
    }

    /// <summary>Whether storage has answered at least once since this silo started.</summary>
    public bool EverAnswered { get; private set; }

    /// <summary>Since when storage has not answered (the first failed probe after a good one); null while it answers.</summary>
    public DateTimeOffset? FailingSince { get; private set; }

    public async Task<Exception?> ProbeAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await foreach (var _ in _tables.QueryAsync(maxPerPage: 1, cancellationToken: timeout.Token).AsPages(pageSizeHint: 1))
            {
                break;
            }

            Record(answered: true);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Record(answered: false);
            return ex;
        }
    }

    private void Record(bool answered)
    {
        lock (_sync)
        {
            _answered = answered;
            EverAnswered |= answered;
            FailingSince = answered ? null : FailingSince ?? _time.GetUtcNow();
        }
    }

    private IEnumerable<Measurement<int>> Observe()
    {
        bool? answered;
        lock (_sync)
        {
            answered = _answered;
        }

        return answered is { } a ? [new Measurement<int>(a ? 1 : 0)] : [];
    }
}
