using System.Text.Json.Nodes;
using RAOrchestrator.Deploy.Tests.Infrastructure;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Deploy.Tests;

/// <summary>The optional PrometheusRule, ServiceMonitor and Grafana dashboard ConfigMap: off by default, the same rules and dashboard as deploy/.</summary>
public sealed class ChartMonitoringTests
{
    private const string Monitoring = "monitoring-values.yaml";

    [Theory]
    [InlineData("files/alerts.yml", "deploy/prometheus/alerts.yml")]
    [InlineData("files/dashboards/raorchestrator.json", "deploy/grafana/dashboards/raorchestrator.json")]
    public void The_charts_copy_is_byte_identical_to_the_file_in_deploy(string chartFile, string deployFile)
    {
        Assert.Equal(File.ReadAllBytes(Path.Combine(RepoPaths.Root, deployFile)), File.ReadAllBytes(Chart.PathOf(chartFile)));
    }

    [Theory]
    [InlineData("PrometheusRule")]
    [InlineData("ServiceMonitor")]
    [InlineData("ConfigMap")]
    public void Nothing_for_prometheus_operator_or_grafana_is_rendered_by_default(string kind)
    {
        Assert.All(new[] { "example-values.yaml", "secure-cluster-values.yaml", "workload-identity-values.yaml" }, file => Assert.Null(Helm.Single(kind, file)));
    }

    [Fact]
    public void The_prometheus_rule_holds_the_groups_of_the_rule_file_as_written()
    {
        var rule = Helm.Single("PrometheusRule", Monitoring)!;
        var file = Yaml.Load(Chart.PathOf("files/alerts.yml"))!;

        Assert.Equal("monitoring.coreos.com/v1", (string?)rule["apiVersion"]);
        Assert.True(JsonNode.DeepEquals(file["groups"], rule["spec"]!["groups"]), rule["spec"]!["groups"]!.ToJsonString()); // Prometheus' own {{ $labels }} survive Helm
        Assert.Equal("kube-prometheus-stack", (string?)rule["metadata"]!["labels"]!["release"]);
    }

    [Fact]
    public void The_service_monitor_scrapes_metrics_on_a_named_port_of_the_releases_service()
    {
        var monitor = Helm.Single("ServiceMonitor", Monitoring)!;
        var service = Helm.Single("Service", Monitoring)!;
        var endpoint = monitor["spec"]!["endpoints"]!.AsArray().Single()!;
        var port = service["spec"]!["ports"]!.AsArray().Single(p => (string?)p!["name"] == (string?)endpoint["port"])!;

        Assert.Equal("/metrics", (string?)endpoint["path"]);
        Assert.Equal(5081, (long)port["port"]!); // the management (health) port
        Assert.All(monitor["spec"]!["selector"]!["matchLabels"]!.AsObject(), label => Assert.Equal((string?)label.Value, (string?)service["metadata"]!["labels"]![label.Key]));
        Assert.Equal(("30s", "10s"), ((string?)endpoint["interval"], (string?)endpoint["scrapeTimeout"]));
    }

    [Fact]
    public void The_servers_metrics_endpoint_is_on_when_a_service_monitor_scrapes_it_or_when_asked_and_off_otherwise()
    {
        static string? Endpoint(string file, params string[] arguments) =>
            ChartTemplateTests.Env(ChartTemplateTests.Silo(file, arguments)).GetValueOrDefault("Telemetry__PrometheusEndpoint")?["value"]?.GetValue<string>();

        Assert.Equal("true", Endpoint(Monitoring));
        Assert.Equal("true", Endpoint("example-values.yaml", "--set", "otel.prometheusEndpoint=true"));
        Assert.Null(Endpoint("example-values.yaml"));
    }

    [Fact]
    public void The_service_monitor_labels_every_series_with_the_environment_the_dashboard_selects()
    {
        var endpoint = Helm.Single("ServiceMonitor", Monitoring)!["spec"]!["endpoints"]![0]!;
        var unnamed = Helm.Single("ServiceMonitor", Monitoring, "--set", "serviceMonitor.environment=")!["spec"]!["endpoints"]![0]!;

        var relabel = endpoint["relabelings"]!.AsArray().Single()!;
        Assert.Equal(("deployment_environment", "prod"), ((string?)relabel["targetLabel"], (string?)relabel["replacement"]));
        Assert.Null(unnamed["relabelings"]);
    }

    [Fact]
    public void The_dashboard_config_map_carries_the_dashboard_file_with_the_label_grafanas_sidecar_looks_for()
    {
        var map = Helm.Single("ConfigMap", Monitoring)!;
        var relabelled = Helm.Single("ConfigMap", Monitoring, "--set", "grafanaDashboard.labels.grafana_dashboard=null", "--set", "grafanaDashboard.labels.dashboards=raorchestrator")!;

        Assert.Equal(File.ReadAllText(Chart.PathOf("files/dashboards/raorchestrator.json")).TrimEnd('\n'), (string?)map["data"]!["raorchestrator.json"]);
        Assert.Equal("1", (string?)map["metadata"]!["labels"]!["grafana_dashboard"]);
        Assert.Equal("RAOrchestrator", (string?)map["metadata"]!["annotations"]!["grafana_folder"]);
        Assert.Null(relabelled["metadata"]!["labels"]!["grafana_dashboard"]);
        Assert.Equal("raorchestrator", (string?)relabelled["metadata"]!["labels"]!["dashboards"]);
    }

    [Fact]
    public void A_rule_file_without_groups_fails_the_render_instead_of_an_empty_prometheus_rule()
    {
        using var copy = new ChartCopy();
        File.WriteAllText(Path.Combine(copy.Chart, "files", "alerts.yml"), "rules: []\n");

        var render = Helm.Run(["template", Helm.Release, copy.Chart, .. Helm.ValuesArguments(Monitoring)]);

        Assert.False(render.Succeeded);
        Assert.Contains("files/alerts.yml must be a Prometheus rule file with groups", render.Error, StringComparison.Ordinal);
    }
}
