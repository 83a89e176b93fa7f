using System.Globalization;

namespace RAOrchestrator.Chaos;

/// <summary>The run's table: faults injected and what they cost, load held, operations acknowledged and lost, checks.</summary>
public static class Report
{
    public static bool Print(ChaosOptions options, IReadOnlyList<FaultRecord> faults, IReadOnlyList<WorkloadReport> workloads, Throughput throughput, TimeSpan faultsEnded)
    {
        var baselineFrom = options.WarmUp - TimeSpan.FromSeconds(10);
        var baseline = throughput.Mean(baselineFrom, options.WarmUp);
        Console.WriteLine();
        Console.WriteLine($"== Chaos run: {options.Tenants} tenants, {options.Silos} silos, {options.KillRounds} SIGKILL rounds every {options.KillInterval.TotalSeconds:F0} s, {options.StorageOutage.TotalSeconds:F0} s storage outage; loopback only");
        Console.WriteLine();
        Console.WriteLine("| fault | at | declared dead | dead silo's grains served again | rejoined / ready | load back to 95 % of the 10 s before |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var f in faults)
        {
            // Measured from the kill, or from storage's return: the load before the fault is the yardstick.
            var before = throughput.Mean(f.At - TimeSpan.FromSeconds(10), f.At);
            var from = f.Ready is null ? f.At : f.At + f.Duration;
            var recovered = throughput.RecoveredAfter(from, before, 0.95, from + TimeSpan.FromSeconds(60));
            Console.WriteLine($"| {f.Fault} | {S(f.At)} | {S(f.DeclaredDead)} | {S(f.ServedAgain)} | {S(f.Rejoined ?? f.Ready)} | {(recovered is { } r ? $"{r:F0} s" : "not within 60 s")} ({before:F0} calls/s before) |");
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

        foreach (var f in faults.Where(f => f.DeclaredDead is null && f.Fault.StartsWith("SIGKILL", StringComparison.Ordinal) || f.DeclaredDead > TimeSpan.FromSeconds(20)))
        {
            Console.WriteLine($"| {f.Fault}: declared dead within 20 s | {S(f.DeclaredDead)} | FAILED |");
            passed = false;
        }

        Console.WriteLine();
        Console.WriteLine(passed ? "RESULT: passed (0 operations lost)" : "RESULT: FAILED");
        return passed;
    }

    private static string S(TimeSpan? span) => span is { } s ? $"{s.TotalSeconds:F1} s" : "–";
}
