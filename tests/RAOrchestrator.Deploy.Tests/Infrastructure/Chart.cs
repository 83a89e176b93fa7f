using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Deploy.Tests.Infrastructure;

/// <summary>helm/raorchestrator on disk: its files, its values (defaults merged with a values file) and its schema.</summary>
public static class Chart
{
    public static string Root { get; } = Path.Combine(RepoPaths.Root, "helm", "raorchestrator");

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static JsonNode Defaults => Yaml.Load(PathOf("values.yaml"))!;

    /// <summary>The defaults with a values file from ci/ on top, as `helm install -f` merges them.</summary>
    public static JsonNode ValuesWith(string ciFile) => Yaml.Merge(Defaults, Yaml.Load(PathOf(Path.Combine("ci", ciFile))))!;

    public static IEnumerable<string> ExampleValueFiles => Directory.GetFiles(PathOf("ci"), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);

    /// <summary>
    /// Every place the values break the schema, as JSON pointers into the values (empty when valid). The conditions of
    /// if/then are left out: an "if" that does not match is not a violation.
    /// </summary>
    public static IReadOnlyList<string> Violations(JsonNode values)
    {
        var schema = JsonSchema.FromText(File.ReadAllText(PathOf("values.schema.json")));
        using var document = JsonDocument.Parse(values.ToJsonString());
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : (result.Details ?? []).Where(d => d.Errors is { Count: > 0 } && !d.EvaluationPath.ToString().Contains("/if", StringComparison.Ordinal)).Select(d => d.InstanceLocation.ToString()).Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Removes the value at a dotted path (e.g. "auth.authority"), as if nobody had set it.</summary>
    public static JsonNode Without(JsonNode values, string path)
    {
        var copy = values.DeepClone();
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate(copy, (node, part) => node[part]!);
        parent.AsObject().Remove(parts[^1]);
        return copy;
    }

    public static JsonNode With(JsonNode values, string path, JsonNode? value)
    {
        var copy = values.DeepClone();
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate(copy, (node, part) => node[part]!);
        parent[parts[^1]] = value;
        return copy;
    }
}
