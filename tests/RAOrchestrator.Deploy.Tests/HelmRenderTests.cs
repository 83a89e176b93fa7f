using RAOrchestrator.Deploy.Tests.Infrastructure;

namespace RAOrchestrator.Deploy.Tests;

/// <summary>The chart through the real helm: `helm lint --strict` and `helm template` for every values file in ci/, and every rendered object valid for Kubernetes.</summary>
public sealed class HelmRenderTests
{
    [Theory]
    [MemberData(nameof(ChartValuesTests.ExampleFiles), MemberType = typeof(ChartValuesTests))]
    public void Helm_lint_strict_passes_with_each_values_file(string file)
    {
        var lint = Helm.Run(["lint", "--strict", Chart.Root, .. Helm.ValuesArguments(file)]);

        Assert.True(lint.Succeeded, lint.Output + lint.Error);
    }

    [Theory]
    [MemberData(nameof(ChartValuesTests.ExampleFiles), MemberType = typeof(ChartValuesTests))]
    public void Every_object_rendered_with_each_values_file_is_valid_against_the_kubernetes_schemas(string file)
    {
        var results = KubernetesSchemas.ForExampleFiles[file];

        Assert.Contains(results, r => r.Object.StartsWith("Deployment/", StringComparison.Ordinal));
        Assert.All(results, r => Assert.True(r.Errors.Count == 0, $"{r.Object}: {string.Join("; ", r.Errors)}"));
    }

    [Fact]
    public void The_schema_check_rejects_what_the_api_server_would()
    {
        const string broken = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: broken}
            spec:
              selector: {matchLabels: {app: x}}
              template:
                spec:
                  containers:
                    - name: silo
                      ports: [{containerPort: "grpc"}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: misspelt}
            spec:
              selector: {app: x}
              ports: [{port: 80, targetPot: web}]
            ---
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: {name: broken}
            spec:
              selector: {}
              endpoints: [{port: management, path: 9}]
            """;

        var results = KubernetesSchemas.Validate(new Dictionary<string, string> { ["broken"] = broken })["broken"];

        Assert.Equal(["/spec/template/spec/containers/0/ports/0/containerPort must be integer"], results[0].Errors);
        Assert.Equal(["/spec/ports/0/targetPot is not a field of /spec/ports/0"], results[1].Errors); // the API server's strict field validation
        Assert.Equal(["/spec/endpoints/0/path must be string"], results[2].Errors);
    }

    [Fact]
    public void Every_template_renders_an_object_with_some_values_file_in_ci()
    {
        var templates = Directory.GetFiles(Chart.PathOf("templates"), "*.yaml").Select(f => "templates/" + Path.GetFileName(f));
        var rendered = Chart.ExampleValueFiles.SelectMany(file => Helm.Rendered(file).Split('\n'))
            .Where(line => line.StartsWith("# Source: raorchestrator/", StringComparison.Ordinal))
            .Select(line => line["# Source: raorchestrator/".Length..]).ToHashSet(StringComparer.Ordinal);

        Assert.All(templates, t => Assert.Contains(t, rendered));
    }

    [Fact]
    public void The_defaults_alone_do_not_render_and_helm_names_each_setting_an_operator_must_give()
    {
        var render = Helm.Template(null);

        Assert.False(render.Succeeded);
        Assert.Contains("auth.authority", render.Error, StringComparison.Ordinal);
        Assert.Contains("web.publicUrl", render.Error, StringComparison.Ordinal);
        Assert.Contains("graph.clientId", render.Error, StringComparison.Ordinal);
    }
}
