using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RAOrchestrator.Deploy.Tests.Infrastructure;

/// <summary>
/// YAML as JSON (what Helm and Compose do before they validate or use it): YAML 1.2 core-schema scalars (plain
/// true/false, null, numbers; quoted scalars stay strings), merge keys (&lt;&lt;) resolved.
/// </summary>
public static partial class Yaml
{
    public static JsonNode? Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(new StringReader(text))));
        return stream.Documents.Count == 0 ? null : ToJson(stream.Documents[0].RootNode);
    }

    public static JsonNode? Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Every non-empty document of a stream (helm template's output), as JSON.</summary>
    public static IReadOnlyList<JsonNode> ParseAll(string text)
    {
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(new StringReader(text))));
        return stream.Documents.Select(d => ToJson(d.RootNode)).OfType<JsonNode>().ToArray();
    }

    /// <summary><paramref name="overrides"/> on top of <paramref name="defaults"/>, maps merged key by key, as Helm merges values files (a null removes the key).</summary>
    public static JsonNode? Merge(JsonNode? defaults, JsonNode? overrides)
    {
        if (defaults is JsonObject baseMap && overrides is JsonObject overMap)
        {
            var merged = new JsonObject();
            foreach (var (key, value) in baseMap)
            {
                merged[key] = value?.DeepClone();
            }

            foreach (var (key, value) in overMap)
            {
                if (value is null)
                {
                    merged.Remove(key);
                    continue;
                }

                merged[key] = Merge(merged[key], value);
            }

            return merged;
        }

        return overrides?.DeepClone() ?? defaults?.DeepClone();
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? string.Empty, ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"Unsupported YAML node {node.NodeType}."),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => JsonValue.Create(i),
            _ when Float().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            _ => JsonValue.Create(text),
        };
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
