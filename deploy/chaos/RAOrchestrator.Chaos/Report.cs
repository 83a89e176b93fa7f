using System.Globalization;

namespace RAOrchestrator.Chaos;

/// <summary>The run's table: faults injected and what they cost, load held, operations acknowledged and lost, checks.</summary>
public static class Report
{
    public static bool Print(ChaosOptions options, IReadOnlyList<FaultRecord> faults, IReadOnlyList<WorkloadReport> workloads, Throughput throughput, TimeSpan faultsEnded, TimeSpan loadStopped)
    {
        var baselineFrom = options.WarmUp - TimeSpan.FromSeconds(10);
        var baseline = throughput.Mean(baselineFrom, options.WarmUp);
        Console.WriteLine();
        Console.WriteLine($"== Chaos run: {options.Tenants} tenants, {options.Silos} silos, {options.KillRounds} SIGKILL rounds every {options.KillInterval.TotalSeconds:F0} s, {options.StorageOutage.TotalSeconds:F0} s storage outage; loopback only");
        Console.WriteLine();
        // Throughput = operations acknowledged per second by every workload together. A round recovers when, after the
        // bottom of its dip, a 3 s sliding window is back to 95 % of the median second of the 10 s before the kill.
        var recoveries = new List<(FaultRecord Fault, double Before, double Lowest, double? Recovered, TimeSpan Limit)>();
        for (var i = 0; i < faults.Count; i++)
        {
            var f = faults[i];
            var kill = f.Ready is null;
            var from = kill ? f.At : f.At + f.Duration;
            var whole = TimeSpan.FromSeconds(Math.Floor(f.At.TotalSeconds));
            var before = throughput.Median(whole - TimeSpan.FromSeconds(10), whole);
            var limit = kill ? options.RecoveryLimit : TimeSpan.FromSeconds(60);
            var until = i + 1 < faults.Count && faults[i + 1].At < from + limit ? faults[i + 1].At : from + limit;
            // The seconds after the load stopped are empty by design, not a dip.
            until = until < loadStopped ? until : TimeSpan.FromSeconds(Math.Floor(loadStopped.TotalSeconds));
            var (lowest, recovered) = throughput.Recovery(from, before, options.RecoveryFraction, until);
            recoveries.Add((f, before, lowest, recovered, until - from));
        }

        Console.WriteLine($"Throughput: operations acknowledged per second, all workloads together. Before = median second of the 10 s before the fault; dip = lowest 3 s sliding mean after it; back = from the fault (the outage: from storage's return) to the end of the first 3 s window, from the dip on, at >= {options.RecoveryFraction:P0} of before (0 s: never fell below). SIGKILL rounds must be declared dead within {options.DeathLimit.TotalSeconds:F0} s and back within {options.RecoveryLimit.TotalSeconds:F0} s.");
        Console.WriteLine();
        Console.WriteLine("| fault | at | declared dead | dead silo's grains served again | rejoined / ready | ops/s before | dip (3 s) | back to 95 % |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var (f, before, lowest, recovered, limit) in recoveries)
        {
            var back = recovered is { } r ? $"{r:F0} s" : $"not within {limit.TotalSeconds:F0} s";
            Console.WriteLine($"| {f.Fault} | {S(f.At)} | {S(f.DeclaredDead)} | {S(f.ServedAgain)} | {S(f.Rejoined ?? f.Ready)} | {before:F0} | {lowest:F0} ({(before > 0 ? lowest / before : 0):P0}) | {back} |");
        }

        Console.WriteLine();
        Console.WriteLine($"load held: {baseline:F0} acknowledged calls/s in the 10 s before the first fault; {throughput.Mean(options.WarmUp, faultsEnded):F0}/s on average while faults ran ({S(options.WarmUp)}–{S(faultsEnded)})");
        Console.WriteLine();
        Console.WriteLine("acknowledged calls/s, 5 s windows (* = a fault began in the window):");
        var end = (int)throughput.Elapsed.TotalSeconds / 5 * 5;
        for (var row = 0; row < end; row += 60)
        {
            var cells = Enumerable.Range(0, 12).Select(i => row + (i * 5)).Where(t => t < end).Select(t =>
            {
                var mark = faults.Any(f => f.At.TotalSeconds >= t && f.At.TotalSeconds < t + 5) ? "*" : " ";
                return $"{throughput.Mean(TimeSpan.FromSeconds(t), TimeSpan.FromSeconds(t + 5)),5:F0}{mark}";
            });
            Console.WriteLine($"  {row,4} s |{string.Join("", cells)}");
        }
        Console.WriteLine();
        Console.WriteLine("| workload | operations acknowledged | operations lost |");
        Console.WriteLine("|---|---|---|");
        foreach (var w in workloads)
        {
            Console.WriteLine($"| {w.Name} | {w.Acknowledged.ToString("N0", CultureInfo.InvariantCulture)} | {w.Lost} |");
        }

        var lost = workloads.Sum(w => w.Lost);
        Console.WriteLine($"| **all** | {workloads.Sum(w => w.Acknowledged).ToString("N0", CultureInfo.InvariantCulture)} | **{lost}** |");
        Console.WriteLine();
        Console.WriteLine("| check | result | |");
        Console.WriteLine("|---|---|---|");
        var passed = lost == 0;
        foreach (var w in workloads)
        {
            foreach (var (check, result, ok) in w.Checks)
            {
                Console.WriteLine($"| {w.Name}: {check} | {result} | {(ok ? "ok" : "FAILED")} |");
                passed &= ok;
            }
        }

        foreach (var (f, _, _, recovered, limit) in recoveries.Where(r => r.Fault.Ready is null))
        {
            var dead = f.DeclaredDead is { } d && d <= options.DeathLimit;
            Console.WriteLine($"| {f.Fault} at {S(f.At)}: declared dead within {options.DeathLimit.TotalSeconds:F0} s | {S(f.DeclaredDead)} | {(dead ? "ok" : "FAILED")} |");
            // A window cut short by the next fault (interval below the limit) cannot show a recovery it had no time for.
            var back = recovered is not null || limit < options.RecoveryLimit;
            Console.WriteLine($"| {f.Fault} at {S(f.At)}: throughput back to {options.RecoveryFraction:P0} within {options.RecoveryLimit.TotalSeconds:F0} s | {(recovered is { } r ? $"{r:F0} s" : $"not within {limit.TotalSeconds:F0} s")} | {(recovered is not null ? "ok" : back ? "n/a (the next fault came first)" : "FAILED")} |");
            passed &= dead && back;
        }

        Console.WriteLine();
        Console.WriteLine(passed ? "RESULT: passed (0 operations lost)" : "RESULT: FAILED");
        return passed;
    }

    private static string S(TimeSpan? span) => span is { } s ? $"{s.TotalSeconds:F1} s" : "–";
}
