using RAOrchestrator.Telemetry.Tests.Infrastructure;
using RAOrchestrator.Telemetry.Tests.Prometheus;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Telemetry.Tests;

/// <summary>The shipped Grafana dashboard asks Prometheus only for series the service really exports, with labels they really have.</summary>
[Collection(ExportedTelemetryCollection.Name)]
public sealed class DashboardTests(ExportedTelemetryFixture fixture)
{
    /// <summary>Labels Prometheus adds to every series of the collector's exporter (job, instance from the resource) or to buckets.</summary>
    private static readonly HashSet<string> ScrapeLabels = ["job", "instance", "le"];

    /// <summary>Series the dashboard shows that the scenario cannot make, each with the reason.</summary>
    private static readonly Dictionary<string, string> NotYetExported = new(StringComparer.Ordinal)
    {
        ["orleans_watchdog_health_checks_failed_total"] = "Orleans emits it only once a watchdog check has failed",
    };

    private static string DashboardPath => Path.Combine(RepoPaths.Root, "deploy", "grafana", "dashboards", "raorchestrator.json");

    [Fact]
    public async Task Every_series_the_dashboard_queries_is_exported_with_the_labels_it_uses()
    {
        var queries = DashboardQueries.Read(await File.ReadAllTextAsync(DashboardPath));
        var exported = await fixture.Received.WaitForAsync("the scenario's metrics", r => r.MetricExports > 0 ? r.Points : null);
        var labelsBySeries = exported
            .GroupBy(p => (p.Metric, p.Unit, p.Shape))
            .SelectMany(m => PrometheusNames.SeriesOf(m.Key.Metric, m.Key.Unit, m.Key.Shape)
                .Select(series => (series, labels: m.SelectMany(p => p.Attributes.Keys).Select(PrometheusNames.LabelName))))
            .GroupBy(s => s.series, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.SelectMany(s => s.labels).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

        var problems = new List<string>();
        foreach (var query in queries)
        {
            foreach (var series in query.Series.Where(s => !labelsBySeries.ContainsKey(s) && !NotYetExported.ContainsKey(s)))
            {
                problems.Add($"'{query.Panel}': {series} is not exported");
            }

            var known = query.Series.Where(labelsBySeries.ContainsKey).ToArray();
            if (known.Length > 0)
            {
                var labels = known.SelectMany(s => labelsBySeries[s]).ToHashSet(StringComparer.Ordinal);
                problems.AddRange(query.Labels
                    .Where(l => !ScrapeLabels.Contains(l) && !labels.Contains(l))
                    .Select(l => $"'{query.Panel}': label {l} is on none of {string.Join(", ", known)}"));
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public async Task Every_panel_asks_for_at_least_one_series_and_covers_what_operators_were_promised()
    {
        var queries = DashboardQueries.Read(await File.ReadAllTextAsync(DashboardPath));
        var series = queries.SelectMany(q => q.Series).ToHashSet(StringComparer.Ordinal);

        Assert.All(queries, q => Assert.NotEmpty(q.Series));
        string[] promised =
        [
            "rpc_server_call_duration_seconds_count", "rpc_server_call_duration_seconds_bucket",
            "raorchestrator_sessions_active", "raorchestrator_lobby_wait_seconds_bucket", "raorchestrator_lobby_decisions_total",
            "raorchestrator_barrier_denials_total", "raorchestrator_seats_reserved", "raorchestrator_seats_available",
            "raorchestrator_graph_requests_total", "raorchestrator_graph_throttled_total", "raorchestrator_graph_throttle_limit_percentage_bucket",
            "raorchestrator_operations_completed_total", "orleans_grains", "orleans_catalog_activations", "orleans_consistent_ring_size",
        ];
        Assert.Equal([], promised.Where(p => !series.Contains(p)).ToArray());
    }
}
