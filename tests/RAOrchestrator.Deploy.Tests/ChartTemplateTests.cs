using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RAOrchestrator.Deploy.Tests.Infrastructure;

namespace RAOrchestrator.Deploy.Tests;

/// <summary>The chart's templates as Helm renders them: Chart.yaml, what the silo pods get, rollouts, the Service.</summary>
public sealed partial class ChartTemplateTests
{
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

    [Fact]
    public void Templates_read_only_values_that_exist_in_values_yaml()
    {
        // helm lint --strict does not catch these: a missing value renders as empty.
        var defaults = Chart.Defaults;
        var templates = Directory.GetFiles(Chart.PathOf("templates")).Select(File.ReadAllText);
        var missing = templates.SelectMany(t => ValuesReference().Matches(t).Select(m => m.Groups["path"].Value.TrimStart('.'))).Distinct().Where(path => !Exists(defaults, path)).ToArray();

        Assert.Empty(missing);
    }

    [Fact]
    public void Silos_get_pod_name_and_ip_from_the_downward_api_and_their_ports_and_probes()
    {
        var silo = Silo("example-values.yaml");
        var env = Env(silo);

        Assert.Equal("metadata.name", (string?)env["POD_NAME"]["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("status.podIP", (string?)env["POD_IP"]["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("$(POD_NAME)", (string?)env["Cluster__SiloName"]["value"]);
        Assert.Equal("$(POD_IP)", (string?)env["Cluster__AdvertisedAddress"]["value"]);
        Assert.Equal(["grpc", "management", "web", "silo"], silo["ports"]!.AsArray().Select(p => (string)p!["name"]!));
        Assert.All(new[] { "startupProbe", "readinessProbe", "livenessProbe" }, probe => Assert.Equal("management", (string?)silo[probe]!["httpGet"]!["port"]));
        Assert.Equal("/health/ready", (string?)silo["readinessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/health/live", (string?)silo["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("http://otel-collector.observability:4317", (string?)env["OTEL_EXPORTER_OTLP_ENDPOINT"]["value"]);
    }

    [Fact]
    public void Numbers_from_the_values_reach_the_server_as_integers_not_in_exponent_notation()
    {
        // Helm reads every number in a values file as a float: quoted as it is, 1048576 would reach the server as
        // "1.048576e+06", which no integer setting parses.
        var env = Env(Silo("secure-cluster-values.yaml", "--set", "partners.maxTenants=20000", "--set", "otel.endpoint=http://c:4317", "--set", "otel.metricExportIntervalMs=1000000"));

        Assert.Equal("1048576", (string?)env["Api__MaxReceiveMessageBytes"]["value"]);
        Assert.Equal("20000", (string?)env["Partners__MaxTenants"]["value"]);
        Assert.Equal("1000000", (string?)env["OTEL_METRIC_EXPORT_INTERVAL"]["value"]);
        Assert.Equal("11111", (string?)env["Cluster__SiloPort"]["value"]);
        Assert.Equal("30000", (string?)env["Cluster__GatewayPort"]["value"]);
    }

    [Fact]
    public void Sessions_get_their_join_page_and_invitation_key_and_traces_are_head_sampled()
    {
        var own = Env(Silo("example-values.yaml"));
        var partners = Env(Silo("workload-identity-values.yaml"));

        Assert.DoesNotContain("Sessions__GateUrl", own.Keys); // empty: the host's own join page
        Assert.Equal("https://join.contoso-msp.example/remote-assist", (string?)partners["Sessions__GateUrl"]["value"]);
        Assert.Equal("raorchestrator-invitations", (string?)own["Sessions__InvitationKey"]["valueFrom"]!["secretKeyRef"]!["name"]);
        Assert.DoesNotContain("Sessions__InvitationKey", partners.Keys);
        Assert.Equal("parentbased_traceidratio", (string?)own["OTEL_TRACES_SAMPLER"]["value"]);
        Assert.Equal("0.1", (string?)own["OTEL_TRACES_SAMPLER_ARG"]["value"]);
    }

    [Fact]
    public void Rollouts_add_a_silo_before_removing_one_and_refuse_a_grace_period_shorter_than_the_shutdown()
    {
        var strategy = Helm.Single("Deployment", "example-values.yaml")!["spec"]!["strategy"]!;
        var tooShort = Helm.Template("example-values.yaml", "--set", "terminationGracePeriodSeconds=35");

        Assert.Equal(0, (long)strategy["rollingUpdate"]!["maxUnavailable"]!);
        Assert.Equal(1, (long)strategy["rollingUpdate"]!["maxSurge"]!);
        Assert.False(tooShort.Succeeded);
        Assert.Contains("terminationGracePeriodSeconds must be longer than preStopSleepSeconds + cluster.shutdownTimeoutSeconds", tooShort.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Clients_reach_every_silo_through_a_headless_service_and_disruptions_take_one_silo_at_a_time()
    {
        var service = Helm.Single("Service", "workload-identity-values.yaml")!;
        var budget = Helm.Single("PodDisruptionBudget", "workload-identity-values.yaml")!;
        var autoscaler = Helm.Single("HorizontalPodAutoscaler", "workload-identity-values.yaml")!;

        Assert.Equal("None", (string?)service["spec"]!["clusterIP"]);
        Assert.Equal("kubernetes.io/h2c", (string?)service["spec"]!["ports"]![0]!["appProtocol"]);
        Assert.Equal(["grpc", "web", "management"], service["spec"]!["ports"]!.AsArray().Select(p => (string)p!["name"]!));
        Assert.Equal(1, (long)budget["spec"]!["maxUnavailable"]!);
        Assert.Equal(("autoscaling/v2", 3L, 12L), ((string?)autoscaler["apiVersion"], (long)autoscaler["spec"]!["minReplicas"]!, (long)autoscaler["spec"]!["maxReplicas"]!));
        Assert.Null(Helm.Single("Deployment", "workload-identity-values.yaml")!["spec"]!["replicas"]); // the autoscaler owns it
    }

    internal static JsonNode Silo(string ciFile, params string[] arguments) =>
        Helm.Single("Deployment", ciFile, arguments)!["spec"]!["template"]!["spec"]!["containers"]![0]!;

    internal static Dictionary<string, JsonNode> Env(JsonNode container)
    {
        var env = container["env"]!.AsArray().Select(e => e!).ToArray();
        Assert.Equal(env.Length, env.Select(e => (string)e["name"]!).Distinct(StringComparer.Ordinal).Count()); // no setting given twice
        return env.ToDictionary(e => (string)e["name"]!, e => e);
    }

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

    [GeneratedRegex(@"\.Values(?<path>(\.[A-Za-z_][A-Za-z0-9_]*)+)")]
    private static partial Regex ValuesReference();

    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")]
    private static partial Regex SemVer();
}
