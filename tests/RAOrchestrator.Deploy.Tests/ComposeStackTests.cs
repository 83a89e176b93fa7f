using System.Text.Json.Nodes;
using RAOrchestrator.Deploy.Tests.Infrastructure;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Deploy.Tests;

/// <summary>deploy/compose.yaml and the files it mounts, checked for the wiring Docker would only reveal at run time.</summary>
public sealed class ComposeStackTests
{
    private static readonly string Deploy = Path.Combine(RepoPaths.Root, "deploy");
    private static readonly JsonNode Compose = Yaml.Load(Path.Combine(Deploy, "compose.yaml"))!;
    private static JsonObject Services => Compose["services"]!.AsObject();

    private static IReadOnlyList<JsonNode> Silos => Services.Where(s => s.Value!["image"]?.GetValue<string>() == "raorchestrator-server:local").Select(s => s.Value!).ToArray();

    [Fact]
    public void Three_silos_form_one_cluster_on_one_storage_each_with_its_own_address_and_ports()
    {
        var environments = Silos.Select(s => s["environment"]!.AsObject()).ToArray();

        Assert.Equal(3, environments.Length);
        Assert.Single(environments.Select(e => (string?)e["Cluster__ClusterId"]).Distinct());
        Assert.Single(environments.Select(e => (string?)e["Storage__ConnectionString"]).Distinct());
        Assert.Equal(3, environments.Select(e => (string?)e["Cluster__AdvertisedAddress"]).Distinct().Count());
        Assert.Equal(3, environments.Select(e => (string?)e["Cluster__SiloPort"]).Distinct().Count());
        // No Orleans gateway: nothing in the stack calls grains past the API.
        Assert.All(environments, e => Assert.False(e.ContainsKey("Cluster__GatewayEnabled") || e.ContainsKey("Cluster__GatewayPort")));
        Assert.All(Silos, silo =>
        {
            var address = (string?)silo["environment"]!["Cluster__AdvertisedAddress"];
            Assert.Equal(address, (string?)silo["networks"]!["raorchestrator"]!["ipv4_address"]);
            Assert.Equal("http://otel-collector:4317", (string?)silo["environment"]!["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        });
    }

    [Fact]
    public void The_silos_trust_the_emulator_they_are_pointed_at_and_wait_until_it_is_healthy()
    {
        var first = Silos[0];

        Assert.Equal("service_healthy", (string?)first["depends_on"]!["emulator"]!["condition"]);
        Assert.StartsWith("https://emulator:5443/", (string?)first["environment"]!["Graph__AuthorityHost"]);
        Assert.Contains("--urls", Services["emulator"]!["command"]!.AsArray().Select(a => (string?)a));
        Assert.Contains("https://emulator:5443", Services["emulator"]!["command"]!.AsArray().Select(a => (string?)a));
        Assert.Contains("Graph__PinnedCertificateSha256", string.Join(' ', first["entrypoint"]!.AsArray().Select(a => (string?)a)), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_file_the_stack_mounts_or_builds_from_exists()
    {
        var binds = Services.SelectMany(s => s.Value!["volumes"]?.AsArray() ?? [])
            .Select(v => ((string)v!).Split(':')[0])
            .Where(source => source.StartsWith('.'));
        var dockerfiles = Services.Select(s => (string?)s.Value!["build"]?["dockerfile"]).OfType<string>();

        Assert.All(binds, source => Assert.True(Path.Exists(Path.Combine(Deploy, source)), $"{source} is missing"));
        Assert.All(dockerfiles, file => Assert.True(File.Exists(Path.Combine(RepoPaths.Root, file)), $"{file} is missing"));
    }

    [Fact]
    public void The_collector_takes_otlp_in_and_gives_prometheus_what_it_scrapes()
    {
        var collector = Yaml.Load(Path.Combine(Deploy, "otel-collector.yaml"))!;
        var prometheus = Yaml.Load(Path.Combine(Deploy, "prometheus.yml"))!;
        var pipelines = collector["service"]!["pipelines"]!.AsObject();

        foreach (var (name, pipeline) in pipelines)
        {
            foreach (var kind in new[] { "receivers", "processors", "exporters" })
            {
                Assert.All(pipeline![kind]?.AsArray() ?? [], component =>
                    Assert.True(collector[kind]!.AsObject().ContainsKey((string)component!), $"{name} uses undefined {kind} {component}"));
            }
        }

        Assert.Equal(["prometheus"], pipelines["metrics"]!["exporters"]!.AsArray().Select(e => (string)e!));
        Assert.Equal(["debug"], pipelines["traces"]!["exporters"]!.AsArray().Select(e => (string)e!));
        var port = ((string)collector["exporters"]!["prometheus"]!["endpoint"]!).Split(':')[1];
        var scrape = prometheus["scrape_configs"]!.AsArray().Single(c => (string?)c!["job_name"] == "otel-collector")!;
        Assert.Equal($"otel-collector:{port}", (string?)scrape["static_configs"]![0]!["targets"]![0]);
        Assert.True((bool)scrape["honor_labels"]!, "without honor_labels Prometheus overwrites each silo's job and instance");
    }

    [Fact]
    public void Grafana_provisions_the_datasource_and_the_folder_the_dashboard_needs()
    {
        var datasource = Yaml.Load(Path.Combine(Deploy, "grafana/provisioning/datasources/prometheus.yaml"))!["datasources"]![0]!;
        var provider = Yaml.Load(Path.Combine(Deploy, "grafana/provisioning/dashboards/raorchestrator.yaml"))!["providers"]![0]!;
        var dashboard = JsonNode.Parse(File.ReadAllText(Path.Combine(Deploy, "grafana/dashboards/raorchestrator.json")))!;
        var mounts = Services["grafana"]!["volumes"]!.AsArray().Select(v => (string)v!).ToArray();

        // Every panel asks the dashboard's $datasource variable, a choice among Prometheus datasources whose default
        // is the provisioned one.
        var uids = dashboard["panels"]!.AsArray().Where(p => p!["datasource"] is not null).Select(p => (string?)p!["datasource"]!["uid"]).Distinct();
        Assert.Equal(["${datasource}"], uids);
        var variable = dashboard["templating"]!["list"]!.AsArray().Single(v => (string?)v!["name"] == "datasource")!;
        Assert.Equal(("datasource", "prometheus"), ((string?)variable["type"], (string?)variable["query"]));
        Assert.Equal(("prometheus", true), ((string?)datasource["type"], (bool?)datasource["isDefault"]));
        Assert.Equal("http://prometheus:9090", (string?)datasource["url"]);
        Assert.Contains(mounts, m => m.EndsWith(":" + (string)provider["options"]!["path"]! + ":ro", StringComparison.Ordinal));
    }
}
