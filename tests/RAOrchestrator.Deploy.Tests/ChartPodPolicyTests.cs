using System.Text.Json.Nodes;
using RAOrchestrator.Deploy.Tests.Infrastructure;

namespace RAOrchestrator.Deploy.Tests;

/// <summary>Where silos run and as whom: security contexts from values (OpenShift's restricted policy too) and the spread over zones and nodes.</summary>
public sealed class ChartPodPolicyTests
{
    private static readonly JsonNode OwnPods = JsonNode.Parse($$$"""{"matchLabels":{"app.kubernetes.io/name":"raorchestrator","app.kubernetes.io/instance":"{{{Helm.Release}}}"}}""")!;

    [Fact]
    public void By_default_silos_run_as_the_images_non_root_user_with_no_privileges_and_a_read_only_root()
    {
        var pod = Pod("example-values.yaml");
        var container = pod["containers"]![0]!["securityContext"]!;

        Assert.Equal("""{"fsGroup":1654,"runAsGroup":1654,"runAsNonRoot":true,"runAsUser":1654,"seccompProfile":{"type":"RuntimeDefault"}}""", pod["securityContext"]!.ToJsonString());
        Assert.Equal("""{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]},"readOnlyRootFilesystem":true}""", container.ToJsonString());
    }

    [Fact]
    public void On_openshift_no_uid_gid_or_fs_group_is_fixed_and_the_rest_of_the_restricted_policy_stays()
    {
        var pod = Pod("openshift-values.yaml");

        Assert.Equal("""{"runAsNonRoot":true,"seccompProfile":{"type":"RuntimeDefault"}}""", pod["securityContext"]!.ToJsonString());
        Assert.Equal(false, (bool?)pod["containers"]![0]!["securityContext"]!["allowPrivilegeEscalation"]);
    }

    [Fact]
    public void Security_contexts_come_from_values()
    {
        var pod = Pod("example-values.yaml", "--set", "podSecurityContext.runAsUser=2000", "--set", "securityContext.readOnlyRootFilesystem=false");

        Assert.Equal(2000, (long)pod["securityContext"]!["runAsUser"]!);
        Assert.Equal(false, (bool?)pod["containers"]![0]!["securityContext"]!["readOnlyRootFilesystem"]);
    }

    [Fact]
    public void By_default_silos_spread_over_zones_then_nodes_as_a_preference_counting_only_this_releases_silos()
    {
        var pod = Pod("example-values.yaml");
        var constraints = pod["topologySpreadConstraints"]!.AsArray();
        var podLabels = Helm.Single("Deployment", "example-values.yaml")!["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();

        Assert.Equal(["topology.kubernetes.io/zone", "kubernetes.io/hostname"], constraints.Select(c => (string)c!["topologyKey"]!));
        Assert.All(constraints, c =>
        {
            Assert.Equal(1, (long)c!["maxSkew"]!);
            Assert.Equal("ScheduleAnyway", (string?)c["whenUnsatisfiable"]);
            Assert.Equal(OwnPods.ToJsonString(), c["labelSelector"]!.ToJsonString());
        });
        Assert.All(OwnPods["matchLabels"]!.AsObject(), label => Assert.Equal((string?)label.Value, (string?)podLabels[label.Key]));
    }

    [Fact]
    public void The_spread_is_a_rule_when_values_say_DoNotSchedule_keeps_a_selector_of_its_own_and_is_off_when_empty()
    {
        var strict = Pod("example-values.yaml", "--set", "topologySpreadConstraints[0].topologyKey=topology.kubernetes.io/zone", "--set", "topologySpreadConstraints[0].maxSkew=1", "--set", "topologySpreadConstraints[0].whenUnsatisfiable=DoNotSchedule", "--set", "topologySpreadConstraints[0].labelSelector.matchLabels.tier=silo");
        var off = Pod("example-values.yaml", "--set-json", "topologySpreadConstraints=[]");

        var constraint = strict["topologySpreadConstraints"]!.AsArray().Single()!;
        Assert.Equal("DoNotSchedule", (string?)constraint["whenUnsatisfiable"]);
        Assert.Equal("""{"matchLabels":{"tier":"silo"}}""", constraint["labelSelector"]!.ToJsonString());
        Assert.Null(off["topologySpreadConstraints"]);
    }

    private static JsonNode Pod(string ciFile, params string[] arguments) =>
        Helm.Single("Deployment", ciFile, arguments)!["spec"]!["template"]!["spec"]!;
}
