using System.Diagnostics;
using System.Runtime;
using System.Runtime.CompilerServices;
using RAOrchestrator.Domain.Barriers;

namespace RAOrchestrator.Bench;

/// <summary>
/// <c>barriers [--users N] [--segments N] [--seconds S] [--mode single|multi|both]</c>: builds a synthetic tenant,
/// compiles it (time, memory), encodes the snapshot, then measures checks per second on one pinned thread over
/// pre-generated random pairs.
/// </summary>
internal static class BarriersBenchmark
{
    private const int PairCount = 1 << 20;

    public static int Run(string[] args)
    {
        var users = IntOption(args, "--users", 100_000);
        var segments = IntOption(args, "--segments", 250);
        var seconds = IntOption(args, "--seconds", 3);
        var mode = StringOption(args, "--mode", "both");

        Console.WriteLine($"barriers benchmark: {users:N0} users, {segments} segments, {seconds} s per measurement, .NET {Environment.Version}, {Environment.ProcessorCount} logical CPUs, GC {(GCSettings.IsServerGC ? "server" : "workstation")}");
        Pin();
        if (mode is "single" or "both")
        {
            Scenario(BarrierMode.SingleSegment, users, segments, seconds);
        }

        if (mode is "multi" or "both")
        {
            Scenario(BarrierMode.MultiSegment, users, segments, seconds);
        }

        return 0;
    }

    private static void Scenario(BarrierMode mode, int userCount, int segmentCount, int seconds)
    {
        Console.WriteLine();
        Console.WriteLine($"== {mode} ==");
        var rng = new Random(20261128);
        var config = SyntheticTenant.Configuration(mode, segmentCount, rng);
        var users = SyntheticTenant.Users(mode, userCount, segmentCount, rng);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        var compiled = BarrierCompiler.Compile(config, users);
        sw.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(users);

        var encode = Stopwatch.StartNew();
        var snapshot = BarrierSnapshotCodec.Encode(compiled);
        encode.Stop();
        var decode = Stopwatch.StartNew();
        var decoded = BarrierSnapshotCodec.Decode(snapshot.Header, snapshot.Shards);
        decode.Stop();
        if (decoded.Fingerprint != compiled.Fingerprint)
        {
            throw new InvalidOperationException("snapshot round trip failed");
        }

        var active = config.Policies.Count(p => p.State == PolicyState.Active);
        Row("policies (active)", $"{config.Policies.Length} ({active})");
        Row("distinct segment sets", $"{compiled.SegmentSetCount:N0}");
        Row("check structure", compiled.HasMatrix ? "allowed matrix over segment sets" : compiled.HasSetBitsets ? "per-set segment bitsets" : "computed from sets");
        Row("users without segment", $"{compiled.UsersWithoutSegment().Count():N0}");
        Row("conflicts", $"{compiled.Conflicts().Count():N0}");
        Row("compile time", $"{sw.Elapsed.TotalMilliseconds:N0} ms");
        Row("compile allocated", $"{allocated / 1048576.0:N1} MiB");
        Row("compiled retained", $"{retained / 1048576.0:N1} MiB");
        Row("snapshot header", $"{snapshot.Header.Length:N0} bytes");
        Row("snapshot shards", $"{snapshot.Shards.Count} x ~{snapshot.Shards.Average(s => s.Length) / 1024:N0} KiB (total {snapshot.Shards.Sum(s => (long)s.Length) / 1048576.0:N1} MiB)");
        Row("encode / decode", $"{encode.Elapsed.TotalMilliseconds:N0} ms / {decode.Elapsed.TotalMilliseconds:N0} ms");

        var a = new int[PairCount];
        var b = new int[PairCount];
        var ids = new string[userCount];
        for (var i = 0; i < userCount; i++)
        {
            // Fresh copies, as a request would carry them: lookups hash and compare the text, not a shared reference.
            ids[i] = new string(compiled.UserIdAt(i).AsSpan());
        }

        for (var i = 0; i < PairCount; i++)
        {
            a[i] = rng.Next(userCount);
            b[i] = rng.Next(userCount);
        }

        var allowedShare = 0;
        for (var i = 0; i < 100_000; i++)
        {
            allowedShare += compiled.IsAllowed(a[i], b[i]) ? 1 : 0;
        }

        Row("allowed share of random pairs", $"{allowedShare / 1000.0:N1} %");
        Console.WriteLine();
        Console.WriteLine($"  {"check",-44} {"checks/s",15} {"ns/check",9}");
        Measure("IsAllowed(int, int)            [hot path]", seconds, (from, to) => LoopIsAllowed(compiled, a, b, from, to));
        Measure("Decide(int, int)               [reason]", seconds, (from, to) => LoopDecide(compiled, a, b, from, to));
        Measure("IsAllowed(string, string)      [by id]", seconds, (from, to) => LoopIsAllowedById(compiled, ids, a, b, from, to));
        Measure("Decide(string, string)         [by id, reason]", seconds, (from, to) => LoopDecideById(compiled, ids, a, b, from, to));
        Measure("Check(string, string, activity) [record]", seconds, (from, to) => LoopCheck(compiled, ids, a, b, from, to));
    }

    private static void Measure(string name, int seconds, Func<int, int, long> loop)
    {
        // Warm up (tiered JIT reaches optimized code), then run batches until the time is up.
        var sink = 0L;
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 1)
        {
            sink += loop(0, PairCount);
        }

        long checks = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            sink += loop(0, PairCount);
            checks += PairCount;
        }

        sw.Stop();
        var perSecond = checks / sw.Elapsed.TotalSeconds;
        Console.WriteLine($"  {name,-44} {perSecond,15:N0} {1e9 / perSecond,9:N1}   (sink {sink})");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long LoopIsAllowed(CompiledBarriers c, int[] a, int[] b, int from, int to)
    {
        long allowed = 0;
        for (var i = from; i < to; i++)
        {
            if (c.IsAllowed(a[i], b[i]))
            {
                allowed++;
            }
        }

        return allowed;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long LoopDecide(CompiledBarriers c, int[] a, int[] b, int from, int to)
    {
        long acc = 0;
        for (var i = from; i < to; i++)
        {
            var d = c.Decide(a[i], b[i]);
            acc += (int)d.Reason + d.PolicyIndex;
        }

        return acc;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long LoopIsAllowedById(CompiledBarriers c, string[] ids, int[] a, int[] b, int from, int to)
    {
        long allowed = 0;
        for (var i = from; i < to; i++)
        {
            if (c.IsAllowed(ids[a[i]], ids[b[i]]))
            {
                allowed++;
            }
        }

        return allowed;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long LoopDecideById(CompiledBarriers c, string[] ids, int[] a, int[] b, int from, int to)
    {
        long acc = 0;
        for (var i = from; i < to; i++)
        {
            var d = c.Decide(ids[a[i]], ids[b[i]]);
            acc += (int)d.Reason + d.PolicyIndex;
        }

        return acc;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long LoopCheck(CompiledBarriers c, string[] ids, int[] a, int[] b, int from, int to)
    {
        long acc = 0;
        for (var i = from; i < to; i++)
        {
            var r = c.Check(ids[a[i]], ids[b[i]], BarrierActivity.Call);
            acc += (int)r.Reason + (r.DecidingPolicy?.Length ?? 0);
        }

        return acc;
    }

    private static void Pin()
    {
        Thread.CurrentThread.Priority = ThreadPriority.Highest;
        try
        {
            if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
            {
                // Pin the process to the last CPU so the measuring thread does not migrate between cores.
                var cpu = Environment.ProcessorCount - 1;
                Process.GetCurrentProcess().ProcessorAffinity = (IntPtr)(1L << cpu);
                Console.WriteLine($"pinned to CPU {cpu}");
            }
        }
        catch (Exception e) when (e is PlatformNotSupportedException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            Console.WriteLine($"could not pin: {e.Message}");
        }
    }

    private static void Row(string name, string value) => Console.WriteLine($"  {name,-32} {value}");

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }

    private static string StringOption(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
