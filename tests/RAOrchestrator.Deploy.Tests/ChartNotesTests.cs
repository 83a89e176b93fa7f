using RAOrchestrator.Deploy.Tests.Infrastructure;

namespace RAOrchestrator.Deploy.Tests;

/// <summary>
/// NOTES.txt as Helm renders it. Helm 3.17 shows NOTES only on install, and `helm install --dry-run=client` still
/// needs a cluster (helm/helm#13144), so a copy of the chart renders NOTES.txt with Helm's own engine through `tpl`
/// into a ConfigMap that `helm template` prints.
/// </summary>
public sealed class ChartNotesTests
{
    [Fact]
    public void The_notes_port_forward_in_the_background_to_the_releases_service_then_ask_its_health_and_stop_it()
    {
        var notes = Notes("example-values.yaml", "--namespace", "assist");
        var lines = notes.Split('\n').Select(l => l.Trim()).ToArray();

        Assert.Contains("dns:///rel-raorchestrator.assist.svc.cluster.local:5080", lines);
        Assert.Contains("kubectl -n assist rollout status deployment/rel-raorchestrator", lines);
        var forward = Array.IndexOf(lines, "kubectl -n assist port-forward service/rel-raorchestrator 5080:5080 5081:5081 >/dev/null &");
        Assert.True(forward >= 0, notes);
        Assert.Equal(["sleep 3", "curl -fsS http://127.0.0.1:5081/health/ready", "grpcurl -plaintext 127.0.0.1:5080 grpc.health.v1.Health/Check", "kill $!"], lines[(forward + 1)..(forward + 5)]);
    }

    [Fact]
    public void The_notes_use_the_ports_from_the_values()
    {
        var notes = Notes("example-values.yaml", "--set", "api.port=6080", "--set", "api.managementPort=6081");

        Assert.Contains("port-forward service/rel-raorchestrator 6080:6080 6081:6081 >/dev/null &", notes, StringComparison.Ordinal);
        Assert.Contains("curl -fsS http://127.0.0.1:6081/health/ready", notes, StringComparison.Ordinal);
        Assert.Contains("grpcurl -plaintext 127.0.0.1:6080 grpc.health.v1.Health/Check", notes, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_port_the_notes_forward_is_a_port_of_the_service()
    {
        var service = Helm.Single("Service", "example-values.yaml")!;
        var ports = service["spec"]!["ports"]!.AsArray().Select(p => (long)p!["port"]!).ToArray();

        Assert.Contains(5080L, ports);
        Assert.Contains(5081L, ports);
    }

    private static string Notes(string ciFile, params string[] arguments)
    {
        using var copy = new ChartCopy();
        File.Move(Path.Combine(copy.Chart, "templates", "NOTES.txt"), Path.Combine(copy.Chart, "notes.txt"));
        File.WriteAllText(Path.Combine(copy.Chart, "templates", "notes-shown.yaml"), """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: notes
            data:
              notes: {{ tpl (.Files.Get "notes.txt") . | toJson }}
            """);

        var render = Helm.Run(["template", Helm.Release, copy.Chart, "--show-only", "templates/notes-shown.yaml", .. Helm.ValuesArguments(ciFile), .. arguments]);

        Assert.True(render.Succeeded, render.Error);
        return (string)Yaml.Parse(render.Output)!["data"]!["notes"]!;
    }
}
