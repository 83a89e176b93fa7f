using System.Globalization;

namespace RAOrchestrator.Bench.JoinAdmit;

/// <summary>
/// CPU time of a process and all its descendants (the host's Azurite is its child), read from /proc: what a server
/// side spent on a run, whatever core it ran on.
/// </summary>
public static class CpuMeter
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux this runs on.

    /// <summary>User plus system CPU seconds of <paramref name="pid"/> and its descendants, so far.</summary>
    public static double Seconds(int pid) => Split(pid).Total;

    /// <summary>CPU seconds so far of <paramref name="pid"/> itself and of all its descendants together.</summary>
    public static (double Self, double Descendants, double Total) Split(int pid)
    {
        var parents = new Dictionary<int, int>();
        var ticks = new Dictionary<int, long>();
        foreach (var dir in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var p) || ReadStat(p) is not { } stat)
            {
                continue;
            }

            parents[p] = stat.Parent;
            ticks[p] = stat.Ticks;
        }

        long descendants = 0;
        foreach (var (p, t) in ticks)
        {
            for (var q = parents.GetValueOrDefault(p); q > 1; q = parents.GetValueOrDefault(q))
            {
                if (q == pid)
                {
                    descendants += t;
                    break;
                }
            }
        }

        var self = ticks.GetValueOrDefault(pid);
        return (self / TicksPerSecond, descendants / TicksPerSecond, (self + descendants) / TicksPerSecond);
    }

    /// <summary>The 1-, 5- and 15-minute load averages: how busy the whole machine was.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static (int Parent, long Ticks)? ReadStat(int pid)
    {
        try
        {
            // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(fields[1], CultureInfo.InvariantCulture),
                long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
