using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace RAOrchestrator.Bench.JoinAdmit;

/// <summary>
/// The verdict of <c>join-admit --session-storage</c> (issue 18): join-and-admit with sessions in the delta log
/// (<see cref="LogArm"/>) against the same grain writing its whole state a step through grain storage
/// (<see cref="StateArm"/>), measured alternately in one run. The log is kept only if it is at least
/// <see cref="Threshold"/> times as fast in pairs a second.
/// </summary>
internal static class SessionStorageReport
{
    public const string LogArm = "join-admit-log";
    public const string StateArm = "join-admit-state";
    public const double Threshold = 1.5;

    public static string Write(JoinAdmitBenchmark.Options options, IReadOnlyList<JoinAdmitBenchmark.Measurement> runs, IReadOnlyList<JoinAdmitBenchmark.Scenario> scenarios, string loadBefore, string loadAfter, JsonObject deltaTax)
    {
        var inv = CultureInfo.InvariantCulture;
        var m = new StringBuilder();
        m.AppendLine(inv, $"session-storage: the arms alternated, {options.Reps} runs each, closed loop at concurrency {options.Concurrency}; {options.Warmup:0.#} s warm-up + {options.Seconds:0.#} s window each");
        m.AppendLine(inv, $"machine: {JoinAdmitBenchmark.MachineCores()} cores ({JoinAdmitBenchmark.CpuModel()}), {JoinAdmitBenchmark.MemoryGiB():0} GiB, {RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {(options.NoPin ? "not pinned" : $"host and Azurite on core {options.ServerCore}, load generator on core {options.ClientCore}")}{(options.Nice is { } nice ? $", niceness {nice}" : string.Empty)}");
        m.AppendLine(inv, $"load average (1/5/15 min) before {loadBefore}, after {loadAfter}");
        m.AppendLine();
        m.AppendLine("| arm | pairs/s median | min – max | each run, in order | server CPU µs a pair (of it Azurite) | p50 / p99 (ms) | allocated a pair | errors |");
        m.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var s in scenarios)
        {
            var sat = Saturated(runs, s.Key);
            var rates = sat.Select(r => r.Load.Throughput).ToList();
            m.AppendLine(inv,
                $"| {s.Title} | {JoinAdmitBenchmark.Median(rates):#,0} | {rates.Min():#,0} – {rates.Max():#,0} | {string.Join(", ", rates.Select(r => r.ToString("#,0", inv)))} " +
                $"| {JoinAdmitBenchmark.Median(sat.Select(r => r.ServerMicrosPerOp)):#,0} ({JoinAdmitBenchmark.Median(sat.Select(r => r.ServerChildrenMicrosPerOp)):#,0}) " +
                $"| {JoinAdmitBenchmark.Median(sat.Select(r => r.Load.P50Ms)):0.0} / {JoinAdmitBenchmark.Median(sat.Select(r => r.Load.P99Ms)):0.0} " +
                $"| {JoinAdmitBenchmark.Median(sat.Select(r => r.AllocatedPerOp)) / 1024:#,0.0} KiB | {sat.Sum(r => r.Load.Errors)} |");
        }

        var log = Saturated(runs, LogArm);
        var state = Saturated(runs, StateArm);
        var ratio = JoinAdmitBenchmark.Median(log.Select(r => r.Load.Throughput)) / JoinAdmitBenchmark.Median(state.Select(r => r.Load.Throughput));
        var paired = log.Zip(state, (l, s) => l.Load.Throughput / s.Load.Throughput).ToList();
        var stateCpu = JoinAdmitBenchmark.Median(state.Select(r => r.ServerMicrosPerOp));
        var logCpu = JoinAdmitBenchmark.Median(log.Select(r => r.ServerMicrosPerOp));

        // The whole-state arm still computes and folds a delta a step, which a [PersistentState] grain would not.
        var taxPerPair = 2 * ((double)deltaTax["foldMicros"]! + (double)deltaTax["betweenMicros"]!);
        m.AppendLine();
        m.AppendLine(inv, $"log ÷ whole state, pairs/s: {ratio:0.00} × (median of each arm); run by run {string.Join(", ", paired.Select(p => p.ToString("0.00", inv)))} (median {JoinAdmitBenchmark.Median(paired):0.00}, range {paired.Min():0.00} – {paired.Max():0.00})");
        m.AppendLine(inv, $"server CPU a pair, whole state ÷ log: {stateCpu / logCpu:0.00} × ({(stateCpu - taxPerPair) / logCpu:0.00} × without the whole-state arm's delta work)");
        m.AppendLine(inv, $"delta work the whole-state arm does that [PersistentState] would not: {taxPerPair:0.0} µs a pair (fold {(double)deltaTax["foldMicros"]!:0.0} µs a step over {deltaTax["steps"]} steps, compute {(double)deltaTax["betweenMicros"]!:0.0} µs a step, sampled)");
        m.AppendLine(inv, $"verdict (the log ≥ {Threshold} × the whole-state arm): {Verdict.Of(ratio, r => r >= Threshold)}{(ratio >= Threshold ? ", log kept" : ratio < Threshold ? ", the log is NOT clearly faster" : string.Empty)}");
        return m.ToString();
    }

    private static List<JoinAdmitBenchmark.Measurement> Saturated(IReadOnlyList<JoinAdmitBenchmark.Measurement> runs, string key) =>
        runs.Where(r => r.Scenario == key && r.Phase == "saturated").OrderBy(r => r.Rep).ToList();
}
