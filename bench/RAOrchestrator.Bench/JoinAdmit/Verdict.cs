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

    /// <summary>
    /// The tail target: p99 at most 5 × the bare echo's and no call over 250 ms. When the bare echo itself had a call
    /// over 250 ms in the same run, the machine stalled a server that does nothing, and a slow call of ours cannot be
    /// told from that stall: undecided, not met.
    /// </summary>
    public static string Tail(double p99Ratio, double slowestMs, double echoSlowestMs) =>
        double.IsNaN(p99Ratio) || double.IsNaN(slowestMs) ? NotMeasured
        : p99Ratio > 5 ? "not met"
        : slowestMs <= 250 ? "met"
        : echoSlowestMs > 250 ? string.Create(CultureInfo.InvariantCulture, $"undecided: p99 met, but the bare echo's own slowest call took {echoSlowestMs:0} ms")
        : "not met";

    /// <summary>A measured value in <paramref name="format"/> followed by <paramref name="unit"/>, or "not measured".</summary>
    public static string Value(double value, string format, string unit) =>
        double.IsNaN(value) ? NotMeasured : value.ToString(format, CultureInfo.InvariantCulture) + unit;
}
