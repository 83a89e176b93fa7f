using RAOrchestrator.Telemetry.Tests.Otlp;
using RAOrchestrator.Telemetry.Tests.Prometheus;

namespace RAOrchestrator.Telemetry.Tests;

/// <summary>The OTLP → Prometheus naming the dashboard relies on, on the examples of the compatibility specification and ours.</summary>
public sealed class PrometheusNamesTests
{
    [Theory]
    [InlineData("http.server.request.duration", "s", MetricShape.Histogram, "http_server_request_duration_seconds")]
    [InlineData("raorchestrator.graph.requests", "{request}", MetricShape.MonotonicSum, "raorchestrator_graph_requests_total")]
    [InlineData("raorchestrator.sessions.active", "{session}", MetricShape.NonMonotonicSum, "raorchestrator_sessions_active")]
    [InlineData("raorchestrator.graph.throttle_limit_percentage", "1", MetricShape.Histogram, "raorchestrator_graph_throttle_limit_percentage")]
    [InlineData("cpu.utilization", "1", MetricShape.Gauge, "cpu_utilization_ratio")]
    [InlineData("orleans-catalog-activations", "", MetricShape.Gauge, "orleans_catalog_activations")]
    [InlineData("dotnet.gc.pause.time", "s", MetricShape.MonotonicSum, "dotnet_gc_pause_time_seconds_total")]
    [InlineData("requests.total", "", MetricShape.MonotonicSum, "requests_total")]
    [InlineData("throughput", "By/s", MetricShape.Gauge, "throughput_bytes_per_second")]
    [InlineData("lobby.wait.seconds", "s", MetricShape.Histogram, "lobby_wait_seconds")]
    public void Metric_names_get_escaped_and_the_unit_and_type_suffixes(string name, string unit, MetricShape shape, string expected) =>
        Assert.Equal(expected, PrometheusNames.MetricName(name, unit, shape));

    [Fact]
    public void A_histogram_becomes_buckets_sum_and_count() =>
        Assert.Equal(
            ["rpc_server_call_duration_seconds_bucket", "rpc_server_call_duration_seconds_sum", "rpc_server_call_duration_seconds_count"],
            PrometheusNames.SeriesOf("rpc.server.call.duration", "s", MetricShape.Histogram));

    [Theory]
    [InlineData("rpc.response.status_code", "rpc_response_status_code")]
    [InlineData("grain_type", "grain_type")]
    [InlineData("2xx", "key_2xx")]
    public void Attribute_names_become_label_names(string attribute, string expected) =>
        Assert.Equal(expected, PrometheusNames.LabelName(attribute));
}
