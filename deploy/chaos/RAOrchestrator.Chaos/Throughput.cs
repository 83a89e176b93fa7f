using System.Collections.Concurrent;
using System.Diagnostics;

namespace RAOrchestrator.Chaos;

/// <summary>Acknowledged calls per second of the run, to see whether the load held through each fault.</summary>
public sealed class Throughput
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<int, int> _perSecond = new();

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Starts the run's clock again from zero with nothing counted (after the preparation).</summary>
    public void Restart()
    {
        _perSecond.Clear();
        _clock.Restart();
    }

    public void Acknowledged() => _perSecond.AddOrUpdate((int)_clock.Elapsed.TotalSeconds, 1, (_, n) => n + 1);

    public int At(int second) => _perSecond.GetValueOrDefault(second);

    /// <summary>Mean calls per second over [from, to).</summary>
    public double Mean(TimeSpan from, TimeSpan to)
    {
        var (a, b) = ((int)from.TotalSeconds, (int)to.TotalSeconds);
        return b <= a ? 0 : Enumerable.Range(a, b - a).Average(At);
    }

    /// <summary>Median of the per-second counts of the whole seconds in [from, to).</summary>
    public double Median(TimeSpan from, TimeSpan to)
    {
        var (a, b) = ((int)Math.Ceiling(from.TotalSeconds), (int)to.TotalSeconds);
        if (b <= a)
        {
            return 0;
        }

        var sorted = Enumerable.Range(a, b - a).Select(At).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2.0;
    }

    /// <summary>
    /// How the load came back after <paramref name="fault"/>, in 3-second windows of whole seconds (sliding by one)
    /// up to <paramref name="until"/>: the lowest window (the bottom of the dip), and the seconds from the fault to the
    /// end of the first window at or after the bottom whose mean reached <paramref name="fraction"/> of
    /// <paramref name="baseline"/> (0 when no window fell below it; null when none came back before <paramref name="until"/>).
    /// Counting from the bottom matters: the first second or two after a kill can still look normal.
    /// </summary>
    public (double Lowest, double? RecoveredAfter) Recovery(TimeSpan fault, double baseline, double fraction, TimeSpan until)
    {
        // Whole seconds only: the second the fault fell in mixes load before it with load after.
        var (a, b) = ((int)Math.Ceiling(fault.TotalSeconds), (int)until.TotalSeconds);
        var windows = Enumerable.Range(a, Math.Max(0, b - a - 2)).Select(s => (Start: s, Mean: Enumerable.Range(s, 3).Average(At))).ToArray();
        if (windows.Length == 0)
        {
            return (0, null);
        }

        var bottom = windows.MinBy(w => w.Mean);
        if (bottom.Mean >= baseline * fraction)
        {
            return (bottom.Mean, 0);
        }

        var back = windows.Where(w => w.Start >= bottom.Start && w.Mean >= baseline * fraction).Select(w => (int?)w.Start).FirstOrDefault();
        return (bottom.Mean, back is { } s ? s + 3 - fault.TotalSeconds : null);
    }
}
