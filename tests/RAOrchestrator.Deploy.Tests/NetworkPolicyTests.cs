using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RAOrchestrator.Deploy.Tests.Infrastructure;

namespace RAOrchestrator.Deploy.Tests;

/// <summary>The cluster is not a way around the API: the network policy, the gateway and the silos' TLS in the chart.</summary>
public sealed partial class NetworkPolicyTests
{
    private static readonly JsonNode OwnPods = JsonNode.Parse("""{"podSelector":{"matchLabels":{"include":"raorchestrator.selectorLabels"}}}""")!;

    [Fact]
    public void By_default_only_the_releases_own_pods_reach_the_silo_port_and_the_api_web_and_probes_are_open()
    {
        var policy = Policy(Chart.ValuesWith("example-values.yaml"))!;
        var rules = policy["spec"]!["ingress"]!.AsArray();

        Assert.Equal(("NetworkPolicy", "networking.k8s.io/v1"), ((string?)policy["kind"], (string?)policy["apiVersion"]));
        Assert.Equal(OwnPods["podSelector"]!.ToJsonString(), policy["spec"]!["podSelector"]!.ToJsonString());
        Assert.Equal(["Ingress"], policy["spec"]!["policyTypes"]!.AsArray().Select(t => (string?)t));

        var silo = Rule(rules, 11111);
        Assert.Equal(new JsonArray(OwnPods.DeepClone()).ToJsonString(), silo["from"]!.ToJsonString());
        Assert.Equal([11111L], Ports(silo));
        Assert.DoesNotContain(rules, r => Ports(r!).Contains(30000));

        Assert.All(new[] { 5080L, 5082L, 5081L }, port => Assert.Null(Rule(rules, port)["from"]));
        Assert.Equal(11111L + 5080 + 5082 + 5081, rules.SelectMany(r => Ports(r!)).Sum());
    }

    [Fact]
    public void The_gateway_port_is_admitted_from_the_releases_own_pods_only_when_enabled_and_api_peers_are_configurable()
    {
        var values = Chart.ValuesWith("secure-cluster-values.yaml");
        var rules = Policy(values)!["spec"]!["ingress"]!.AsArray();

        var silo = Rule(rules, 30000);
        Assert.Equal([11111L, 30000L], Ports(silo));
        Assert.Equal(new JsonArray(OwnPods.DeepClone()).ToJsonString(), silo["from"]!.ToJsonString());
        Assert.Equal(values["networkPolicy"]!["apiFrom"]!.ToJsonString(), Rule(rules, 5080)["from"]!.ToJsonString());
        Assert.Null(Rule(rules, 5081)["from"]);
    }

    [Fact]
    public void Nothing_is_rendered_when_the_network_policy_is_disabled()
    {
        Assert.Null(Policy(Chart.With(Chart.ValuesWith("example-values.yaml"), "networkPolicy.enabled", JsonValue.Create(false))));
    }

    [Fact]
    public void The_network_policy_is_on_by_default()
    {
        Assert.True((bool)Chart.Defaults["networkPolicy"]!["enabled"]!);
        Assert.False((bool)Chart.Defaults["cluster"]!["gatewayEnabled"]!);
    }

    [Fact]
    public void The_deployment_opens_and_configures_the_gateway_only_inside_if_gatewayEnabled()
    {
        var template = File.ReadAllText(Chart.PathOf("templates/deployment.yaml"));
        var gated = GatewayBlocks().Matches(template).Select(m => m.Value).ToArray();

        Assert.Contains(gated, b => b.Contains("containerPort: {{ .Values.cluster.gatewayPort }}", StringComparison.Ordinal));
        Assert.Contains(gated, b => b.Contains("Cluster__GatewayPort", StringComparison.Ordinal) && b.Contains("Cluster__GatewayEnabled", StringComparison.Ordinal));
        var outside = GatewayBlocks().Replace(template, string.Empty);
        Assert.DoesNotContain("gatewayPort", outside, StringComparison.Ordinal);
        Assert.DoesNotContain("Gateway", outside, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cluster_certificate_secret_is_mounted_and_named_to_the_silo()
    {
        var template = File.ReadAllText(Chart.PathOf("templates/deployment.yaml"));

        Assert.Contains("- name: Cluster__Tls__CertificatePath\n              value: \"/var/run/secrets/raorchestrator/cluster/{{ .Values.cluster.tls.certificateSecret.key }}\"", template, StringComparison.Ordinal);
        Assert.Contains("mountPath: /var/run/secrets/raorchestrator/cluster", template, StringComparison.Ordinal);
        Assert.Contains("secretName: {{ .Values.cluster.tls.certificateSecret.name }}", template, StringComparison.Ordinal);
        Assert.Contains("Cluster__Tls__AllowedThumbprints__{{ $i }}", template, StringComparison.Ordinal);
    }

    private static JsonNode? Policy(JsonNode values) => HelmRender.Render(File.ReadAllText(Chart.PathOf("templates/networkpolicy.yaml")), values);

    private static JsonNode Rule(JsonArray rules, long port) => rules.Single(r => Ports(r!).Contains(port))!;

    private static long[] Ports(JsonNode rule) => rule["ports"]!.AsArray().Select(p => (long)p!["port"]!).ToArray();

    [GeneratedRegex(@"\{\{- if \.Values\.cluster\.gatewayEnabled \}\}.*?\{\{- end \}\}", RegexOptions.Singleline)]
    private static partial Regex GatewayBlocks();
}
