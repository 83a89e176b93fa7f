using System.Text.RegularExpressions;

namespace RAOrchestrator.Deploy.Tests.Infrastructure;

/// <summary>
/// A chart template made plain YAML without Helm, by replacing each action with what it produces:
/// control lines (if/else/end/with/range/define/fail) produce no text, so they are dropped and every branch is kept;
/// a whole-line action that renders a block at an indentation (<c>include ... | nindent N</c>, <c>toYaml ... | nindent N</c>)
/// becomes one placeholder entry at that indentation (a list item when it continues a list); an action inside a line
/// produces a scalar, so it becomes "x". What is left must be YAML, or the rendered template could not be.
/// </summary>
public static partial class HelmTemplate
{
    public static string Flatten(string template)
    {
        var text = Comment().Replace(template, string.Empty);
        var output = new List<string>();
        var placeholders = 0;
        foreach (var line in text.Split('\n'))
        {
            var whole = WholeLineAction().Match(line);
            if (whole.Success)
            {
                var action = whole.Groups["action"].Value.Trim();
                var indent = Indent().Match(action);
                if (!indent.Success)
                {
                    continue;
                }

                var width = int.Parse(indent.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
                var spaces = new string(' ', width);
                var item = ContinuesList(output, width) ? "- " : string.Empty;
                output.Add($"{spaces}{item}rendered_{++placeholders}: x");
                continue;
            }

            output.Add(InlineAction().Replace(line, "x").TrimEnd('\r'));
        }

        return string.Join('\n', output);
    }

    /// <summary>Whether the block a line at <paramref name="width"/> belongs to is a list (its nearest line at that indentation or less is a "- " item at it).</summary>
    private static bool ContinuesList(List<string> lines, int width)
    {
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            var trimmed = lines[i].TrimStart(' ');
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            var lineIndent = lines[i].Length - trimmed.Length;
            if (lineIndent <= width)
            {
                return lineIndent == width && trimmed.StartsWith("- ", StringComparison.Ordinal);
            }
        }

        return false;
    }

    /// <summary>Every .Values path a template reads, e.g. "graph.clientSecretSecret.name".</summary>
    public static IReadOnlyList<string> ValuePaths(string template) =>
        ValuesReference().Matches(template).Select(m => m.Groups["path"].Value.TrimStart('.')).Distinct(StringComparer.Ordinal).ToArray();

    [GeneratedRegex(@"\{\{-?\s*/\*.*?\*/\s*-?\}\}", RegexOptions.Singleline)]
    internal static partial Regex Comment();

    [GeneratedRegex(@"^\s*\{\{-?(?<action>.*?)-?\}\}\s*$")]
    internal static partial Regex WholeLineAction();

    [GeneratedRegex(@"\|\s*n?indent\s+(?<n>\d+)\s*$")]
    internal static partial Regex Indent();

    [GeneratedRegex(@"\{\{.*?\}\}")]
    internal static partial Regex InlineAction();

    [GeneratedRegex(@"\.Values(?<path>(\.[A-Za-z_][A-Za-z0-9_]*)+)")]
    private static partial Regex ValuesReference();
}
