using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RAOrchestrator.Deploy.Tests.Infrastructure;

namespace RAOrchestrator.Deploy.Tests;

/// <summary>The chart's templates, checked without a helm binary: Chart.yaml, YAML syntax, the values they read, what the silo pods get.</summary>
public sealed partial class ChartTemplateTests
{
    public static TheoryData<string> Templates =>
        [.. Directory.GetFiles(Chart.PathOf("templates"), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void Chart_yaml_has_the_keys_helm_requires()
    {
        var chart = Yaml.Load(Chart.PathOf("Chart.yaml"))!;

        Assert.Equal("v2", (string?)chart["apiVersion"]);
        Assert.Equal("raorchestrator", (string?)chart["name"]);
        Assert.Matches(SemVer(), (string?)chart["version"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)chart["appVersion"]));
        Assert.Equal("application", (string?)chart["type"]);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Every_template_is_yaml_once_its_actions_are_replaced_by_what_they_produce(string template)
    {
        var flat = HelmTemplate.Flatten(File.ReadAllText(Chart.PathOf(Path.Combine("templates", template))));

        Assert.Equal(1, Yaml.CountDocuments(flat));
        Assert.NotNull(Yaml.Parse(flat)!["kind"]);
    }

    [Fact]
    public void Templates_read_only_values_that_exist_in_values_yaml()
    {
        var defaults = Chart.Defaults;
        var templates = Directory.GetFiles(Chart.PathOf("templates")).Select(File.ReadAllText);
        var missing = templates.SelectMany(HelmTemplate.ValuePaths).Distinct().Where(path => !Exists(defaults, path)).ToArray();

        Assert.Empty(missing);
    }

    [Fact]
    public void Silos_get_pod_name_and_ip_from_the_downward_api_and_their_ports_and_probes()
    {
        var deployment = Rendered("deployment.yaml");
        var pod = deployment["spec"]!["template"]!["spec"]!;
        var silo = pod["containers"]![0]!;
        // Both branches of each if are kept when flattened; the first is the one these values take.
        var env = silo["env"]!.AsArray().Where(e => e?["name"] is not null).DistinctBy(e => (string)e!["name"]!).ToDictionary(e => (string)e!["name"]!, e => e!);

        Assert.Equal("metadata.name", (string?)env["POD_NAME"]["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("status.podIP", (string?)env["POD_IP"]["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("$(POD_NAME)", (string?)env["Cluster__SiloName"]["value"]);
        Assert.Equal("$(POD_IP)", (string?)env["Cluster__AdvertisedAddress"]["value"]);
        Assert.Equal(["grpc", "management", "web", "silo", "gateway"], silo["ports"]!.AsArray().Select(p => (string)p!["name"]!));
        Assert.All(new[] { "startupProbe", "readinessProbe", "livenessProbe" }, probe => Assert.Equal("management", (string?)silo[probe]!["httpGet"]!["port"]));
        Assert.Equal("/health/ready", (string?)silo["readinessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/health/live", (string?)silo["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Contains(env.Keys, k => k == "OTEL_EXPORTER_OTLP_ENDPOINT");
    }

    [Fact]
    public void Sessions_get_their_join_page_and_invitation_key_and_traces_are_head_sampled()
    {
        var silo = Rendered("deployment.yaml")["spec"]!["template"]!["spec"]!["containers"]![0]!;
        var env = silo["env"]!.AsArray().Where(e => e?["name"] is not null).DistinctBy(e => (string)e!["name"]!).ToDictionary(e => (string)e!["name"]!, e => e!);

        Assert.Contains("Sessions__GateUrl", env.Keys); // rendered only when set: empty is the host's own join page
        Assert.Contains("{{- if .Values.sessions.gateUrl }}", File.ReadAllText(Chart.PathOf("templates/deployment.yaml")), StringComparison.Ordinal);
        Assert.NotNull(env["Sessions__InvitationKey"]["valueFrom"]!["secretKeyRef"]!["key"]);
        Assert.Contains("OTEL_TRACES_SAMPLER", env.Keys);
        Assert.Contains("OTEL_TRACES_SAMPLER_ARG", env.Keys);
    }

    [Fact]
    public void Rollouts_add_a_silo_before_removing_one_and_refuse_a_grace_period_shorter_than_the_shutdown()
    {
        var template = File.ReadAllText(Chart.PathOf("templates/deployment.yaml"));
        var strategy = Rendered("deployment.yaml")["spec"]!["strategy"]!;

        Assert.Equal(0, (long)strategy["rollingUpdate"]!["maxUnavailable"]!);
        Assert.Equal(1, (long)strategy["rollingUpdate"]!["maxSurge"]!);
        Assert.Contains("{{- if le (int .Values.terminationGracePeriodSeconds) (add (int .Values.preStopSleepSeconds) (int .Values.cluster.shutdownTimeoutSeconds)) }}", template, StringComparison.Ordinal);
        Assert.Contains("{{- fail", template, StringComparison.Ordinal);
    }

    [Fact]
    public void Clients_reach_every_silo_through_a_headless_service_and_disruptions_take_one_silo_at_a_time()
    {
        var service = Rendered("service.yaml");
        var budget = Rendered("poddisruptionbudget.yaml");
        var autoscaler = Rendered("hpa.yaml");

        Assert.Equal("None", (string?)service["spec"]!["clusterIP"]);
        Assert.Equal("kubernetes.io/h2c", (string?)service["spec"]!["ports"]![0]!["appProtocol"]);
        Assert.Equal(("PodDisruptionBudget", "policy/v1"), ((string?)budget["kind"], (string?)budget["apiVersion"]));
        Assert.Equal(("HorizontalPodAutoscaler", "autoscaling/v2"), ((string?)autoscaler["kind"], (string?)autoscaler["apiVersion"]));
    }

    private static JsonNode Rendered(string template) =>
        Yaml.Parse(HelmTemplate.Flatten(File.ReadAllText(Chart.PathOf(Path.Combine("templates", template)))))!;

    private static bool Exists(JsonNode values, string path)
    {
        JsonNode? node = values;
        foreach (var part in path.Split('.'))
        {
            if (node is not JsonObject map || !map.ContainsKey(part))
            {
                return false;
            }

            node = map[part];
        }

        return true;
    }

    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")]
    private static partial Regex SemVer();
}
