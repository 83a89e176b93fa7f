using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RAOrchestrator.Telemetry.Tests.Infrastructure;
using RAOrchestrator.Telemetry.Tests.Prometheus;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Telemetry.Tests;

/// <summary>
/// The shipped Grafana dashboard, evaluated by a real Prometheus that scraped the host's /metrics while the operator
/// scenario ran: every variable finds its values, every query parses and evaluates with the variables substituted as
/// Grafana does, every series it names is one Prometheus really has (the name translation is Prometheus' own), and
/// each panel the scenario exercises shows data.
/// </summary>
[Collection(ExportedTelemetryCollection.Name)]
public sealed partial class DashboardTests(ExportedTelemetryFixture fixture)
{
    /// <summary>
    /// What <c>$__rate_interval</c> becomes. Grafana derives it from the scrape interval and the panel's step; here one
    /// window covers the whole scenario, so rates and quantiles at evaluation time include all of its load.
    /// </summary>
    private const string RateInterval = "5m";

    /// <summary>
    /// Series the scenario cannot make, each with the reason: Orleans creates these counters at the first failure, so
    /// their panels read the zero the dashboard fills in (0 * count(target_info ...)) and only that is checked.
    /// </summary>
    private static readonly Dictionary<string, string> OnlyAfterAFailure = new(StringComparer.Ordinal)
    {
        ["orleans_watchdog_health_checks_failed_total"] = "Orleans counts it only once a watchdog check has failed",
        ["orleans_storage_read_errors_total"] = "Orleans counts it only once a grain storage read has failed (the storage outage tests make one)",
        ["orleans_storage_write_errors_total"] = "Orleans counts it only once a grain storage write has failed",
        ["orleans_storage_clear_errors_total"] = "Orleans counts it only once a grain storage clear has failed",
    };

    private static string DashboardPath => Path.Combine(RepoPaths.Root, "deploy", "grafana", "dashboards", "raorchestrator.json");

    private PrometheusServer Prometheus => fixture.Prometheus;

    [Fact]
    public async Task Every_variable_finds_the_scraped_host()
    {
        var dashboard = JsonNode.Parse(await File.ReadAllTextAsync(DashboardPath))!;
        var variables = dashboard["templating"]!["list"]!.AsArray().ToDictionary(v => (string)v!["name"]!, v => v!);
        var expected = new Dictionary<string, string>
        {
            ["job"] = PrometheusServer.Job,
            ["environment"] = PrometheusServer.Environment,
            ["instance"] = Prometheus.Instance,
        };

        Assert.Equal("datasource", (string?)variables["datasource"]["type"]);
        Assert.Equal("prometheus", (string?)variables["datasource"]["query"]);
        foreach (var (name, value) in expected)
        {
            var query = LabelValues().Match((string)variables[name]["definition"]!);
            Assert.True(query.Success, $"${name} is not a label_values(selector, label) query");
            var selector = Substitute(query.Groups["selector"].Value);
            var body = JsonNode.Parse(await Prometheus.Http.GetStringAsync(
                $"api/v1/label/{query.Groups["label"].Value}/values?match[]={Uri.EscapeDataString(selector)}"))!;
            Assert.Contains(value, body["data"]!.AsArray().Select(v => (string?)v));
        }
    }

    [Fact]
    public async Task Every_series_the_dashboard_queries_is_one_Prometheus_scraped()
    {
        var queries = DashboardQueries.Read(await File.ReadAllTextAsync(DashboardPath));
        var names = JsonNode.Parse(await Prometheus.Http.GetStringAsync("api/v1/label/__name__/values"))!["data"]!.AsArray()
            .Select(n => (string)n!).ToHashSet(StringComparer.Ordinal);

        var missing = queries
            .SelectMany(q => q.Series.Where(s => !names.Contains(s) && !OnlyAfterAFailure.ContainsKey(s)).Select(s => $"'{q.Panel}': {s}"))
            .Distinct()
            .ToArray();

        Assert.Equal([], missing);
    }

    [Fact]
    public async Task Every_panel_query_evaluates_and_shows_data_with_the_labels_of_its_legend()
    {
        var queries = DashboardQueries.Read(await File.ReadAllTextAsync(DashboardPath));
        var problems = new List<string>();
        foreach (var query in queries)
        {
            JsonArray result;
            try
            {
                result = await Prometheus.QueryAsync(Substitute(query.Expression));
            }
            catch (InvalidOperationException ex)
            {
                problems.Add($"'{query.Panel}': {ex.Message}");
                continue;
            }

            var legendLabels = LegendLabels().Matches(query.Legend).Select(m => m.Groups["label"].Value).ToArray();
            var shown = result.Where(r => IsNumber((string)r!["value"]![1]!)
                && legendLabels.All(l => !string.IsNullOrEmpty((string?)r["metric"]![l]))).ToArray();
            if (shown.Length == 0)
            {
                problems.Add($"'{query.Panel}' ({query.Legend}): no series with a value and the legend's labels [{string.Join(", ", legendLabels)}] in {result.ToJsonString()}");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task Every_panel_asks_for_at_least_one_series_and_covers_what_operators_were_promised()
    {
        var queries = DashboardQueries.Read(await File.ReadAllTextAsync(DashboardPath));
        var series = queries.SelectMany(q => q.Series).ToHashSet(StringComparer.Ordinal);

        Assert.All(queries, q => Assert.NotEmpty(q.Series));
        Assert.All(queries, q => Assert.Contains("job=~\"$job\", instance=~\"$instance\", deployment_environment=~\"$environment\"", q.Expression, StringComparison.Ordinal));
        string[] promised =
        [
            "rpc_server_call_duration_seconds_count", "rpc_server_call_duration_seconds_bucket",
            "raorchestrator_sessions_active", "raorchestrator_lobby_wait_seconds_bucket", "raorchestrator_lobby_decisions_total",
            "raorchestrator_barrier_denials_total", "raorchestrator_seats_reserved", "raorchestrator_seats_available",
            "raorchestrator_graph_requests_total", "raorchestrator_graph_throttled_total", "raorchestrator_graph_throttle_limit_percentage_bucket",
            "raorchestrator_graph_request_duration_seconds_bucket", "raorchestrator_operations_completed_total", "orleans_grains",
            "orleans_catalog_activations", "orleans_consistent_ring_size", "orleans_storage_read_latency_milliseconds_bucket",
            "orleans_storage_write_latency_milliseconds_bucket", "orleans_storage_write_errors_total", "raorchestrator_storage_healthy",
            "dotnet_gc_collections_total", "dotnet_gc_pause_time_seconds_total", "dotnet_process_memory_working_set_bytes",
        ];
        Assert.Equal([], promised.Where(p => !series.Contains(p)).ToArray());
    }

    /// <summary>
    /// The variables as Grafana substitutes them with one value selected: a regex-matched value has its regex
    /// characters escaped (a backslash, itself escaped in the PromQL string).
    /// </summary>
    private string Substitute(string expression) => Variable().Replace(expression, m => m.Groups["name"].Value switch
    {
        "__rate_interval" => RateInterval,
        "job" => PrometheusServer.Job,
        "environment" => PrometheusServer.Environment,
        "instance" => Regex.Escape(Prometheus.Instance).Replace(@"\", @"\\", StringComparison.Ordinal),
        var other => throw new InvalidOperationException($"The dashboard uses ${other}, which this test does not know."),
    });

    private static bool IsNumber(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number);

    [GeneratedRegex(@"\$(?<name>\w+)")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^label_values\((?<selector>.+),\s*(?<label>\w+)\)$")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"\{\{\s*(?<label>\w+)\s*\}\}")]
    private static partial Regex LegendLabels();
}
