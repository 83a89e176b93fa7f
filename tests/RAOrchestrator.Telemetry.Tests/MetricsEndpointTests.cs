using System.Net;
using RAOrchestrator.Telemetry.Tests.Infrastructure;

namespace RAOrchestrator.Telemetry.Tests;

/// <summary>With Telemetry:PrometheusEndpoint on, /metrics answers on the management (health) port only.</summary>
[Collection(ExportedTelemetryCollection.Name)]
public sealed class MetricsEndpointTests(ExportedTelemetryFixture fixture)
{
    [Fact]
    public async Task The_management_port_serves_the_metrics_in_Prometheus_text_format()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync($"http://127.0.0.1:{fixture.ManagementPort}/metrics");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE rpc_server_call_duration_seconds histogram", body, StringComparison.Ordinal);
        Assert.Contains("raorchestrator_operations_completed_total{", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pages_port_does_not_serve_the_metrics()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync($"http://127.0.0.1:{fixture.WebPort}/metrics");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("# TYPE", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_port_does_not_serve_the_metrics()
    {
        // The API speaks plaintext HTTP/2 only: ask as an HTTP/2 client would, with prior knowledge.
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await http.GetAsync($"http://127.0.0.1:{fixture.ApiPort}/metrics");
        var body = await response.Content.ReadAsStringAsync();

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("# TYPE", body, StringComparison.Ordinal);
    }
}
