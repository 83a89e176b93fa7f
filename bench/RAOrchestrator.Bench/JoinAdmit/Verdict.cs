using System.Globalization;

namespace RAOrchestrator.Bench.JoinAdmit;

/// <summary>
/// How the benchmark words its verdicts and ratios: "met", "not met", "undecided: why", or "not measured" when the
/// scenario (or the one it is compared with) did not run, so a value is NaN (<see cref="JoinAdmitBenchmark.Median"/> of nothing).
/// </summary>
internal static class Verdict
{
    public const string NotMeasured = "not measured";

    /// <summary>Whether <paramref name="value"/> meets the target; when it does but the comparison says nothing, why it is undecided.</summary>
    public static string Of(double value, Func<double, bool> met, string? undecided = null) =>
        double.IsNaN(value) ? NotMeasured
        : !met(value) ? "not met"
        : undecided is null ? "met"
        : "undecided: " + undecided;

    /// <summary>A measured value in <paramref name="format"/> followed by <paramref name="unit"/>, or "not measured".</summary>
    public static string Value(double value, string format, string unit) =>
        double.IsNaN(value) ? NotMeasured : value.ToString(format, CultureInfo.InvariantCulture) + unit;
}
