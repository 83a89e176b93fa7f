using System.Collections.Concurrent;
using System.Diagnostics;

namespace RAOrchestrator.Chaos;

/// <summary>Acknowledged calls per second of the run, to see whether the load held through each fault.</summary>
public sealed class Throughput
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<int, int> _perSecond = new();

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Acknowledged() => _perSecond.AddOrUpdate((int)_clock.Elapsed.TotalSeconds, 1, (_, n) => n + 1);

    public int At(int second) => _perSecond.GetValueOrDefault(second);

    /// <summary>Mean calls per second over [from, to).</summary>
    public double Mean(TimeSpan from, TimeSpan to)
    {
        var (a, b) = ((int)from.TotalSeconds, (int)to.TotalSeconds);
        return b <= a ? 0 : Enumerable.Range(a, b - a).Average(At);
    }

    /// <summary>
    /// Seconds after <paramref name="fault"/> until a 3-second mean reached <paramref name="fraction"/> of
    /// <paramref name="baseline"/>; null if it never did before <paramref name="until"/>.
    /// </summary>
    public double? RecoveredAfter(TimeSpan fault, double baseline, double fraction, TimeSpan until)
    {
        for (var s = (int)fault.TotalSeconds; s + 3 <= (int)until.TotalSeconds; s++)
        {
            if (Enumerable.Range(s, 3).Average(At) >= baseline * fraction)
            {
                return s + 3 - fault.TotalSeconds;
            }
        }

        return null;
    }
}
