using System.Text.RegularExpressions;
using RAOrchestrator.Telemetry.Tests.Otlp;

namespace RAOrchestrator.Telemetry.Tests.Prometheus;

/// <summary>
/// The names the OpenTelemetry Collector's Prometheus exporter gives OTLP metrics (its default: underscore
/// escaping with suffixes, as the OTel-to-Prometheus compatibility specification says): non-name characters become
/// '_', the unit becomes a suffix (s → seconds; annotations like {request} and "1" add none), monotonic sums end in
/// _total, gauges of unit "1" in _ratio; histograms add _bucket, _sum and _count; attributes become labels with the
/// same escaping. UpDownCounters arrive as non-monotonic sums and become plain gauges.
/// </summary>
public static partial class PrometheusNames
{
    private static readonly Dictionary<string, string> Units = new(StringComparer.Ordinal)
    {
        ["d"] = "days",
        ["h"] = "hours",
        ["min"] = "minutes",
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["us"] = "microseconds",
        ["ns"] = "nanoseconds",
        ["By"] = "bytes",
        ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes",
        ["GiBy"] = "gibibytes",
        ["KBy"] = "kilobytes",
        ["MBy"] = "megabytes",
        ["GBy"] = "gigabytes",
        ["1"] = string.Empty,
        ["%"] = "percent",
    };

    private static readonly Dictionary<string, string> PerUnits = new(StringComparer.Ordinal)
    {
        ["s"] = "second",
        ["m"] = "minute",
        ["h"] = "hour",
        ["d"] = "day",
        ["w"] = "week",
        ["mo"] = "month",
        ["y"] = "year",
    };

    /// <summary>The series names one OTLP metric becomes.</summary>
    public static IReadOnlyList<string> SeriesOf(string name, string unit, MetricShape shape)
    {
        var baseName = MetricName(name, unit, shape);
        return shape is MetricShape.Histogram or MetricShape.ExponentialHistogram
            ? [baseName + "_bucket", baseName + "_sum", baseName + "_count"]
            : shape == MetricShape.Summary ? [baseName, baseName + "_sum", baseName + "_count"] : [baseName];
    }

    public static string MetricName(string name, string unit, MetricShape shape)
    {
        var tokens = NonNameCharacters().Split(name).Where(t => t.Length > 0).ToList();
        var (main, per) = UnitSuffixes(unit);
        if (main.Length > 0 && !tokens.Contains(main))
        {
            tokens.Add(main);
        }

        if (per.Length > 0 && !tokens.Contains(per))
        {
            tokens.AddRange(["per", per]);
        }

        if (shape == MetricShape.MonotonicSum)
        {
            tokens.RemoveAll(t => t == "total");
            tokens.Add("total");
        }

        if (unit == "1" && shape == MetricShape.Gauge)
        {
            tokens.RemoveAll(t => t == "ratio");
            tokens.Add("ratio");
        }

        var joined = string.Join("_", tokens);
        return joined.Length > 0 && char.IsAsciiDigit(joined[0]) ? "_" + joined : joined;
    }

    public static string LabelName(string attribute)
    {
        var label = NonLabelCharacters().Replace(attribute, "_");
        return label.Length > 0 && char.IsAsciiDigit(label[0]) ? "key_" + label : label;
    }

    private static (string Main, string Per) UnitSuffixes(string unit)
    {
        var plain = Annotations().Replace(unit, string.Empty).Trim();
        var parts = plain.Split('/', 2);
        var main = parts[0].Length == 0 ? string.Empty : Units.GetValueOrDefault(parts[0], parts[0]);
        var per = parts.Length == 2 && parts[1].Length > 0 ? PerUnits.GetValueOrDefault(parts[1], parts[1]) : string.Empty;
        return (Clean(main), Clean(per));
    }

    private static string Clean(string unit) => string.Join("_", NonNameCharacters().Split(unit).Where(t => t.Length > 0));

    [GeneratedRegex("[^a-zA-Z0-9:]+")]
    private static partial Regex NonNameCharacters();

    [GeneratedRegex("[^a-zA-Z0-9_]")]
    private static partial Regex NonLabelCharacters();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Annotations();
}
