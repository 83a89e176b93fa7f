using System.Text.Json.Nodes;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Deploy.Tests.Infrastructure;

/// <summary>
/// Objects checked offline against the Kubernetes OpenAPI schemas (and prometheus-operator's CRD schemas) by
/// scripts/validate-k8s.cjs with the pinned npm packages kubernetes-models and @kubernetes-models/prometheus-operator:
/// types, required fields, enums, and fields the schema does not have (as the API server's strict field validation).
/// kubectl cannot do this without a server: it downloads the schemas from the API server, even with --dry-run=client.
/// </summary>
public static class KubernetesSchemas
{
    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<(string Object, IReadOnlyList<string> Errors)>>> ExampleFiles =
        new(() => Validate(Chart.ExampleValueFiles.ToDictionary(file => file, file => Helm.Rendered(file))));

    /// <summary>What is wrong with each object helm renders for each values file in ci/ (checked in one run of node).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(string Object, IReadOnlyList<string> Errors)>> ForExampleFiles => ExampleFiles.Value;

    /// <summary>For each named YAML stream, each object's kind/name with what is wrong with it (no errors: valid).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(string Object, IReadOnlyList<string> Errors)>> Validate(IReadOnlyDictionary<string, string> streams)
    {
        var input = new JsonObject(streams.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)JsonValue.Create(s.Value))));
        var result = Tool.Run("node", [Path.Combine(RepoPaths.Root, "scripts", "validate-k8s.cjs"), "--json"], input.ToJsonString(), RepoPaths.Root);
        Assert.True(result.Error.Length == 0, $"validate-k8s.cjs failed (did 'npm ci' run?): {result.Error}");
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).ToArray();
        return streams.Keys.ToDictionary(
            name => name,
            name => (IReadOnlyList<(string, IReadOnlyList<string>)>)lines.Where(o => (string?)o["stream"] == name)
                .Select(o => ($"{o["kind"]}/{o["name"]}", (IReadOnlyList<string>)o["errors"]!.AsArray().Select(e => (string)e!).ToArray()))
                .ToArray());
    }
}
