using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RAOrchestrator.Deploy.Tests.Infrastructure;

/// <summary>
/// A template rendered with values for the few actions simple templates use, so a test sees which branch the values
/// take: <c>if</c> / <c>if not</c> / <c>with</c> on a .Values path (Helm's truthiness), <c>else</c>, <c>end</c>;
/// <c>toYaml . | nindent N</c> inside <c>with</c>; <c>include "NAME" . | nindent N</c> becomes <c>include: NAME</c>
/// at that indentation (the same marker wherever the same helper is included); <c>{{ .Values.path }}</c> its value;
/// any other inline action "x". Anything else throws: use <see cref="HelmTemplate.Flatten"/> for such templates.
/// </summary>
public static partial class HelmRender
{
    public static JsonNode? Render(string template, JsonNode values)
    {
        var text = HelmTemplate.Comment().Replace(template, string.Empty);
        var output = new List<string>();
        var frames = new Stack<(bool Active, bool Taken, JsonNode? Dot)>();
        bool Active() => frames.All(f => f.Active);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var whole = HelmTemplate.WholeLineAction().Match(line);
            if (whole.Success)
            {
                var action = whole.Groups["action"].Value.Trim();
                var words = action.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                switch (words[0])
                {
                    case "if":
                    case "with":
                        var negate = words[1] == "not";
                        var value = Lookup(values, words[negate ? 2 : 1]);
                        var truthy = Truthy(value) != negate;
                        frames.Push((truthy, truthy, value));
                        continue;
                    case "else":
                        var top = frames.Pop();
                        frames.Push((!top.Taken, true, top.Dot));
                        continue;
                    case "end":
                        frames.Pop();
                        continue;
                }

                var indent = HelmTemplate.Indent().Match(action);
                if (!indent.Success)
                {
                    throw new NotSupportedException($"Unsupported action: {action}");
                }

                if (!Active())
                {
                    continue;
                }

                var spaces = new string(' ', int.Parse(indent.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture));
                var include = Include().Match(action);
                if (include.Success)
                {
                    output.Add($"{spaces}include: {include.Groups["name"].Value}");
                }
                else if (action.StartsWith("toYaml . ", StringComparison.Ordinal))
                {
                    output.Add(spaces + frames.Peek().Dot!.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
                }
                else
                {
                    throw new NotSupportedException($"Unsupported action: {action}");
                }

                continue;
            }

            if (Active())
            {
                output.Add(HelmTemplate.InlineAction().Replace(line, m => Inline(values, m.Value.Trim('{', '}', '-', ' '))));
            }
        }

        var rendered = string.Join('\n', output);
        return string.IsNullOrWhiteSpace(rendered) ? null : Yaml.Parse(rendered);
    }

    private static string Inline(JsonNode values, string action)
    {
        var words = action.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words[0].StartsWith(".Values.", StringComparison.Ordinal))
        {
            var value = Lookup(values, words[0]);
            return value is JsonValue v && v.TryGetValue<string>(out var s) ? JsonSerializer.Serialize(s) : value?.ToJsonString() ?? "null";
        }

        return "x";
    }

    private static JsonNode? Lookup(JsonNode values, string path)
    {
        if (!path.StartsWith(".Values.", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Unsupported condition: {path}");
        }

        JsonNode? node = values;
        foreach (var part in path[".Values.".Length..].Split('.'))
        {
            node = node is JsonObject map && map.TryGetPropertyValue(part, out var child) ? child : null;
        }

        return node;
    }

    /// <summary>Helm's truthiness: false, 0, "", empty lists and maps, and null are false.</summary>
    private static bool Truthy(JsonNode? value) => value switch
    {
        null => false,
        JsonArray array => array.Count > 0,
        JsonObject map => map.Count > 0,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l != 0,
        JsonValue v when v.TryGetValue<double>(out var d) => d != 0,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length > 0,
        _ => true,
    };

    [GeneratedRegex(@"^include\s+""(?<name>[^""]+)""")]
    private static partial Regex Include();
}
