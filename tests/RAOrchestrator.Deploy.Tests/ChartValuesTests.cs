using System.Text.Json.Nodes;
using RAOrchestrator.Deploy.Tests.Infrastructure;

namespace RAOrchestrator.Deploy.Tests;

/// <summary>values.schema.json: what `helm install` checks before it renders anything.</summary>
public sealed class ChartValuesTests
{
    public static TheoryData<string> ExampleFiles => [.. Chart.ExampleValueFiles];

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void The_defaults_with_an_example_values_file_validate_against_the_schema(string file) =>
        Assert.Empty(Chart.Violations(Chart.ValuesWith(file)));

    [Fact]
    public void The_defaults_alone_fail_naming_each_setting_an_operator_must_give()
    {
        var violations = Chart.Violations(Chart.Defaults);

        Assert.Contains("/auth/authority", violations);
        Assert.Contains("/web/publicUrl", violations);
        Assert.DoesNotContain("/sessions/gateUrl", violations); // empty: the service's own join page
        Assert.Contains("/graph/clientId", violations);
        Assert.Contains("/graph/clientSecretSecret/name", violations);
        Assert.Contains(violations, v => v.StartsWith("/storage", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("image.repository")]
    [InlineData("cluster.clusterId")]
    [InlineData("cluster.serviceId")]
    [InlineData("cluster.shutdownTimeoutSeconds")]
    [InlineData("terminationGracePeriodSeconds")]
    [InlineData("auth.authority")]
    [InlineData("web.publicUrl")]
    [InlineData("graph.clientId")]
    [InlineData("graph.clientSecretSecret")]
    [InlineData("storage.connectionStringSecret")]
    public void Each_required_setting_fails_validation_when_missing(string path)
    {
        var values = Chart.ValuesWith("example-values.yaml");

        Assert.NotEmpty(Chart.Violations(Chart.Without(values, path)));
    }

    [Theory]
    [InlineData("auth.authority", "http://login.example/v2.0")]
    [InlineData("graph.clientId", "msp-app")]
    [InlineData("graph.credential", "Password")]
    [InlineData("cluster.siloPort", "70000")]
    [InlineData("replicaCount", "three")]
    [InlineData("otel.protocol", "udp")]
    [InlineData("sessions.gateUrl", "http://join.example/gate")]
    [InlineData("web.publicUrl", "http://remote-assist.example")]
    [InlineData("web.publicUrl", "")]
    [InlineData("otel.tracesSampler", "sometimes")]
    [InlineData("otel.tracesSamplerArg", "1.5")]
    public void Wrong_values_fail_validation(string path, string value)
    {
        var values = Chart.ValuesWith("example-values.yaml");
        JsonNode parsed = long.TryParse(value, out var number) ? JsonValue.Create(number) : JsonValue.Create(value);

        Assert.Contains("/" + path.Replace('.', '/'), Chart.Violations(Chart.With(values, path, parsed)));
    }

    [Fact]
    public void A_misspelt_key_fails_validation_instead_of_being_ignored()
    {
        var values = Chart.With(Chart.ValuesWith("example-values.yaml"), "replicaCont", JsonValue.Create(5));

        Assert.NotEmpty(Chart.Violations(values));
    }

    [Fact]
    public void Storage_is_a_connection_string_secret_or_a_table_uri_never_both()
    {
        var both = Chart.With(Chart.ValuesWith("example-values.yaml"), "storage.tableServiceUri", JsonValue.Create("https://account.table.core.windows.net"));

        Assert.Contains(Chart.Violations(both), v => v.StartsWith("/storage", StringComparison.Ordinal));
    }

    [Fact]
    public void Workload_identity_needs_its_client_id()
    {
        var values = Chart.Without(Chart.ValuesWith("workload-identity-values.yaml"), "workloadIdentity.clientId");

        Assert.Contains("/workloadIdentity", Chart.Violations(values));
    }

    [Fact]
    public void The_chart_renders_as_a_subchart_with_the_global_values_helm_gives_it()
    {
        using var parent = new ChartCopy(Path.Combine("charts", "raorchestrator"));
        File.WriteAllText(Path.Combine(parent.Folder, "Chart.yaml"), "apiVersion: v2\nname: platform\nversion: 1.0.0\ndependencies:\n  - name: raorchestrator\n    version: 0.1.0\n");
        var values = new JsonObject { ["global"] = new JsonObject { ["imageRegistry"] = "myregistry.azurecr.io" }, ["raorchestrator"] = Yaml.Load(Chart.PathOf("ci/example-values.yaml")) };
        File.WriteAllText(Path.Combine(parent.Folder, "values.yaml"), values.ToJsonString()); // JSON is YAML

        var render = Helm.Run("template", "platform", parent.Folder);

        Assert.True(render.Succeeded, render.Error);
        Assert.Contains("kind: Deployment", render.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_termination_grace_period_outlasts_the_pre_stop_pause_and_the_silo_shutdown()
    {
        var values = Chart.Defaults;

        Assert.True((long)values["terminationGracePeriodSeconds"]! > (long)values["preStopSleepSeconds"]! + (long)values["cluster"]!["shutdownTimeoutSeconds"]!);
    }
}
