using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RAOrchestrator.Telemetry.Tests.Prometheus;

/// <summary>One panel query of the Grafana dashboard: the series it selects and the labels it filters or groups by.</summary>
public sealed record DashboardQuery(string Panel, string Expression, string Legend, IReadOnlyList<string> Series, IReadOnlyList<string> Labels);

/// <summary>
/// Reads the PromQL of every panel target. The dashboard writes every series selector with braces
/// (<c>name{...}</c>), so a name followed by '{' is a series; labels are the matchers inside the braces and the
/// names in <c>by (...)</c> / <c>without (...)</c>.
/// </summary>
public static partial class DashboardQueries
{
    public static IReadOnlyList<DashboardQuery> Read(string dashboardJson)
    {
        var dashboard = JsonNode.Parse(dashboardJson)!;
        var queries = new List<DashboardQuery>();
        foreach (var panel in Panels(dashboard))
        {
            var title = (string?)panel["title"] ?? "(untitled)";
            foreach (var target in panel["targets"]?.AsArray() ?? [])
            {
                if ((string?)target?["expr"] is not { Length: > 0 } expression)
                {
                    continue;
                }

                var series = Selector().Matches(expression).Select(m => m.Groups["name"].Value).Distinct().ToArray();
                var matchers = Selector().Matches(expression)
                    .SelectMany(m => Matcher().Matches(m.Groups["matchers"].Value).Select(l => l.Groups["label"].Value));
                var grouping = Grouping().Matches(expression)
                    .SelectMany(m => m.Groups["labels"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                queries.Add(new DashboardQuery(title, expression, (string?)target["legendFormat"] ?? string.Empty, series, matchers.Concat(grouping).Distinct().ToArray()));
            }
        }

        return queries;
    }

    /// <summary>Every panel, including those inside collapsed rows.</summary>
    public static IEnumerable<JsonNode> Panels(JsonNode dashboard)
    {
        foreach (var panel in dashboard["panels"]?.AsArray() ?? [])
        {
            if (panel is null)
            {
                continue;
            }

            yield return panel;
            foreach (var inner in panel["panels"]?.AsArray() ?? [])
            {
                if (inner is not null)
                {
                    yield return inner;
                }
            }
        }
    }

    [GeneratedRegex(@"(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<matchers>[^}]*)\}")]
    private static partial Regex Selector();

    [GeneratedRegex(@"(?<label>[a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)")]
    private static partial Regex Matcher();

    [GeneratedRegex(@"\b(by|without)\s*\((?<labels>[^)]*)\)")]
    private static partial Regex Grouping();
}
