using System.Text.Json.Nodes;
using RAOrchestrator.Deploy.Tests.Infrastructure;

namespace RAOrchestrator.Deploy.Tests;

/// <summary>The cluster is not a way around the API: the network policy, the gateway and the silos' TLS as Helm renders them.</summary>
public sealed class NetworkPolicyTests
{
    private static readonly JsonNode OwnPods = JsonNode.Parse($$$$"""{"podSelector":{"matchLabels":{"app.kubernetes.io/name":"raorchestrator","app.kubernetes.io/instance":"{{{{Helm.Release}}}}"}}}""")!;

    [Fact]
    public void By_default_only_the_releases_own_pods_reach_the_silo_port_and_the_api_web_and_probes_are_open()
    {
        var policy = Helm.Single("NetworkPolicy", "example-values.yaml")!;
        var rules = policy["spec"]!["ingress"]!.AsArray();

        Assert.Equal("networking.k8s.io/v1", (string?)policy["apiVersion"]);
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
        var rules = Helm.Single("NetworkPolicy", "secure-cluster-values.yaml")!["spec"]!["ingress"]!.AsArray();

        var silo = Rule(rules, 30000);
        Assert.Equal([11111L, 30000L], Ports(silo));
        Assert.Equal(new JsonArray(OwnPods.DeepClone()).ToJsonString(), silo["from"]!.ToJsonString());
        Assert.Equal(values["networkPolicy"]!["apiFrom"]!.ToJsonString(), Rule(rules, 5080)["from"]!.ToJsonString());
        Assert.Null(Rule(rules, 5081)["from"]);
    }

    [Fact]
    public void Nothing_is_rendered_when_the_network_policy_is_disabled()
    {
        Assert.Null(Helm.Single("NetworkPolicy", "example-values.yaml", "--set", "networkPolicy.enabled=false"));
    }

    [Fact]
    public void The_network_policy_is_on_by_default()
    {
        Assert.True((bool)Chart.Defaults["networkPolicy"]!["enabled"]!);
        Assert.False((bool)Chart.Defaults["cluster"]!["gatewayEnabled"]!);
    }

    [Fact]
    public void The_deployment_opens_and_configures_the_gateway_only_when_gatewayEnabled()
    {
        var closed = Helm.Rendered("example-values.yaml", "--show-only", "templates/deployment.yaml");
        var open = ChartTemplateTests.Silo("secure-cluster-values.yaml");
        var env = ChartTemplateTests.Env(open);

        Assert.DoesNotContain("30000", closed, StringComparison.Ordinal);
        Assert.DoesNotContain("Gateway", closed, StringComparison.Ordinal);
        Assert.Contains(open["ports"]!.AsArray(), p => (string?)p!["name"] == "gateway" && (long)p["containerPort"]! == 30000);
        Assert.Equal("true", (string?)env["Cluster__GatewayEnabled"]["value"]);
        Assert.Equal("30000", (string?)env["Cluster__GatewayPort"]["value"]);
    }

    [Fact]
    public void The_cluster_certificate_secret_is_mounted_and_named_to_the_silo()
    {
        var pod = Helm.Single("Deployment", "secure-cluster-values.yaml")!["spec"]!["template"]!["spec"]!;
        var silo = pod["containers"]![0]!;
        var env = ChartTemplateTests.Env(silo);

        Assert.Equal("/var/run/secrets/raorchestrator/cluster/cluster.pfx", (string?)env["Cluster__Tls__CertificatePath"]["value"]);
        Assert.Equal(("raorchestrator-cluster-tls", "password"), ((string?)env["Cluster__Tls__CertificatePassword"]["valueFrom"]!["secretKeyRef"]!["name"], (string?)env["Cluster__Tls__CertificatePassword"]["valueFrom"]!["secretKeyRef"]!["key"]));
        Assert.StartsWith("3F:A1:0C", (string?)env["Cluster__Tls__AllowedThumbprints__0"]["value"], StringComparison.Ordinal);
        Assert.Contains(silo["volumeMounts"]!.AsArray(), m => (string?)m!["name"] == "cluster-certificate" && (string?)m["mountPath"] == "/var/run/secrets/raorchestrator/cluster" && (bool?)m["readOnly"] == true);
        Assert.Contains(pod["volumes"]!.AsArray(), v => (string?)v!["secret"]?["secretName"] == "raorchestrator-cluster-tls");
    }

    private static JsonNode Rule(JsonArray rules, long port) => rules.Single(r => Ports(r!).Contains(port))!;

    private static long[] Ports(JsonNode rule) => rule["ports"]!.AsArray().Select(p => (long)p!["port"]!).ToArray();
}
