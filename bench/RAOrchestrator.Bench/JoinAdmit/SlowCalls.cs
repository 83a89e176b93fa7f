using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace RAOrchestrator.Bench.JoinAdmit;

/// <summary>
/// Diagnostics for the open loop's tail: with <c>BENCH_SLOW_CALLS</c> set to a file, every measured call slower than
/// <see cref="Threshold"/> is appended to it as "UTC start,UTC end,milliseconds", so the seconds with stalls can be
/// laid beside what the serving runtime did in them (for example <c>dotnet-counters collect</c> on the host).
/// </summary>
public static class SlowCalls
{
    public static readonly TimeSpan Threshold = TimeSpan.FromMilliseconds(50);

    private static readonly string? Path = Environment.GetEnvironmentVariable("BENCH_SLOW_CALLS");
    private static readonly ConcurrentQueue<string> Lines = new();
    private static readonly long ThresholdTicks = (long)(Threshold.TotalSeconds * Stopwatch.Frequency);
    private static readonly DateTime ClockAt = DateTime.UtcNow;
    private static readonly long TicksAt = Stopwatch.GetTimestamp();

    /// <summary>Notes a call that started at <paramref name="startTicks"/> and ended at <paramref name="endTicks"/> (<see cref="Stopwatch"/> ticks), if it was slow.</summary>
    public static void Note(long startTicks, long endTicks)
    {
        if (Path is null || endTicks - startTicks < ThresholdTicks)
        {
            return;
        }

        Lines.Enqueue(string.Create(CultureInfo.InvariantCulture, $"{Utc(startTicks):O},{Utc(endTicks):O},{(endTicks - startTicks) * 1000.0 / Stopwatch.Frequency:F1}"));
    }

    /// <summary>Appends what was noted since the last flush to the file.</summary>
    public static void Flush()
    {
        if (Path is null)
        {
            return;
        }

        var lines = new List<string>();
        while (Lines.TryDequeue(out var line))
        {
            lines.Add(line);
        }

        File.AppendAllLines(Path, lines);
    }

    private static DateTime Utc(long ticks) => ClockAt.AddSeconds((ticks - TicksAt) / (double)Stopwatch.Frequency);
}
