using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core.Interceptors;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Bench.JoinAdmit;

/// <summary>
/// Issue 7: join-and-admit throughput on one silo versus three on this machine. For each cluster size a cluster of
/// real server processes (<see cref="LocalCluster"/>, the Release server) forms on one Azurite through Azure Table
/// membership; the load generator (this process, with the Graph emulator) calls it through a balanced channel
/// (<see cref="BalancedChannel"/>: round robin over every process). The servers and Azurite share one core and the
/// generator has the other (<c>taskset</c>), as in <c>join-admit</c>, so every size gets the same CPU; each size has
/// its own onboarded tenant and sessions. Closed loop, saturated; repetitions, median shown.
/// With <c>--spread</c> the silos alternate between the two cores instead (the first, with Azurite, on the server
/// core, the second beside the generator, ...), so that two silos do not share one core: what a silo-to-silo forward
/// costs shows with less of the cost of processes taking turns on one core.
/// Usage: join-admit-cluster [--silos 1,3] [--concurrency 64] [--warmup 3] [--seconds 10] [--reps 3] [--server-core 0] [--client-core 1] [--no-pin] [--spread]
/// </summary>
public static class ClusterJoinAdmitBenchmark
{
    private const string Issuer = "https://bench.local/v2.0";
    private const int Block = 64;

    public static int Run(string[] args) => RunAsync(Options.Parse(args)).GetAwaiter().GetResult();

    private sealed record Options(int[] Silos, int Concurrency, double Warmup, double Seconds, int Reps, int ServerCore, int ClientCore, bool NoPin, bool Spread = false)
    {
        public static Options Parse(string[] args)
        {
            var o = new Options([1, 3], 64, 3, 10, 3, 0, 1, false);
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => args[++i];
                int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
                o = args[i] switch
                {
                    "--silos" => o with { Silos = Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() },
                    "--concurrency" => o with { Concurrency = Int() },
                    "--warmup" => o with { Warmup = double.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--seconds" => o with { Seconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--reps" => o with { Reps = Int() },
                    "--server-core" => o with { ServerCore = Int() },
                    "--client-core" => o with { ClientCore = Int() },
                    "--no-pin" => o with { NoPin = true },
                    "--spread" => o with { Spread = true },
                    var other => throw new ArgumentException($"unknown option {other}"),
                };
            }

            return o;
        }
    }

    private sealed record Repetition(int Silos, int Rep, LoadResult Load, double ServerBusy, double ServerCpuMsPerPair, double AzuriteCpuMsPerPair);

    private static async Task<int> RunAsync(Options o)
    {
        var pin = !o.NoPin && ChildProcess.CanPin;
        if (pin)
        {
            ChildProcess.Pin(Environment.ProcessId, o.ClientCore);
        }

        await using var azurite = await AzuriteProcess.StartAsync();
        await using var emulator = await TestEmulator.StartAsync();
        if (pin)
        {
            ChildProcess.Pin(azurite.ProcessId!.Value, o.ServerCore);
        }

        var key = RandomNumberGenerator.GetBytes(32);
        var token = PartnerTokens.Create(key, Issuer, "bench-partner");
        var runs = new List<Repetition>();
        foreach (var size in o.Silos)
        {
            var serviceId = "bench-" + Guid.NewGuid().ToString("N")[..8];
            await using var cluster = await LocalCluster.StartAsync(size, ports =>
                TestServerSettings.For(azurite.ConnectionString, emulator, serviceId, ports.Api, ports.Management, ports.Silo, ports.Gateway, Issuer, Convert.ToBase64String(key)));
            await LocalCluster.WaitForActiveAsync(new MembershipTable(azurite.ConnectionString, serviceId + "-cluster"), cluster.Ports.Select(p => p.Silo), TimeSpan.FromSeconds(90));
            var servers = Enumerable.Range(0, size).Select(i => cluster[i]!.ProcessId).Append(azurite.ProcessId!.Value).ToArray();
            if (pin)
            {
                for (var i = 0; i < servers.Length - 1; i++)
                {
                    ChildProcess.Pin(servers[i], o.Spread && i % 2 == 1 ? o.ClientCore : o.ServerCore);
                }
            }

            using var channel = BalancedChannel.Create(cluster.ApiPorts);
            // CreateTenant is a claim its administrator approves: the emulator's administrator approves it at once.
            var invoker = channel.Intercept(new AutoApproval(emulator)).Intercept(metadata =>
            {
                metadata.Add("authorization", "Bearer " + token);
                return metadata;
            });
            var tenantId = Guid.NewGuid().ToString();
            await TestEmulator.AddTenantAsync(emulator, tenantId);
            var tenant = await ServerRoles.OnboardAsync(invoker, tenantId);
            var technician = await ServerRoles.AddTechnicianAsync(emulator, tenantId);
            var sessions = new SessionService.SessionServiceClient(invoker);
            var pool = new SessionPool(sessions, tenant, technician);
            Console.Error.WriteLine($"{size} silo(s) formed (API ports {string.Join(", ", cluster.ApiPorts)}); tenant {tenant}");

            // One unrecorded run warms every process up and tells how many sessions a window needs.
            var guess = 1000.0;
            for (var rep = 0; rep <= o.Reps; rep++)
            {
                await pool.EnsureAsync((long)(guess * (o.Warmup + o.Seconds) * 1.5));
                var cpuBefore = servers.Sum(CpuMeter.Seconds);
                var azuriteBefore = CpuMeter.Seconds(servers[^1]);
                var clock = Stopwatch.StartNew();
                var load = await LoadGenerator.ClosedLoopAsync(_ => pool.JoinAndAdmitAsync(), o.Concurrency, TimeSpan.FromSeconds(o.Warmup), TimeSpan.FromSeconds(o.Seconds));
                var cpu = servers.Sum(CpuMeter.Seconds) - cpuBefore;
                var azuriteCpu = CpuMeter.Seconds(servers[^1]) - azuriteBefore;
                guess = Math.Max(guess, load.Throughput);
                var pairs = load.Throughput * clock.Elapsed.TotalSeconds;
                var run = new Repetition(size, rep, load, cpu / clock.Elapsed.TotalSeconds, cpu * 1000 / pairs, azuriteCpu * 1000 / pairs);
                Console.Error.WriteLine($"  {(rep == 0 ? "warm-up" : $"rep {rep}")}: {load.Throughput:F0} pairs/s, p50 {load.P50Ms:F1} ms, p99 {load.P99Ms:F1} ms, {load.Errors} errors{(load.FirstError is null ? "" : $" ({load.FirstError})")}; servers' CPU {run.ServerBusy:P0} of a core");
                if (rep > 0)
                {
                    runs.Add(run);
                }
            }
        }

        Console.WriteLine(Table(o, pin, runs));
        return runs.Any(r => r.Load.Errors > 0) ? 1 : 0;
    }

    private static string Table(Options o, bool pinned, List<Repetition> runs)
    {
        var inv = CultureInfo.InvariantCulture;
        var m = new StringBuilder();
        m.AppendLine(inv, $"join-admit-cluster: closed loop at concurrency {o.Concurrency} through a balanced channel, {o.Warmup:0.#} s warm-up + {o.Seconds:0.#} s window, {o.Reps} repetitions, median shown; {(!pinned ? "not pinned" : o.Spread ? $"silos alternating between cores {o.ServerCore} and {o.ClientCore}, Azurite on core {o.ServerCore}, generator on core {o.ClientCore}" : $"servers and Azurite on core {o.ServerCore}, generator on core {o.ClientCore}")}; load average {CpuMeter.LoadAverage()}");
        m.AppendLine();
        m.AppendLine("| silos | pairs/s (RPCs/s) | p50 / p99 ms | servers' CPU (of a core) | server CPU ms per pair (of it Azurite) | errors | repetitions (pairs/s) |");
        m.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var group in runs.GroupBy(r => r.Silos))
        {
            var median = group.OrderBy(r => r.Load.Throughput).ElementAt(group.Count() / 2);
            m.AppendLine(inv, $"| {group.Key} | {median.Load.Throughput:F0} ({2 * median.Load.Throughput:F0}) | {median.Load.P50Ms:F1} / {median.Load.P99Ms:F1} | {median.ServerBusy:P0} | {median.ServerCpuMsPerPair:F2} ({median.AzuriteCpuMsPerPair:F2}) | {group.Sum(r => r.Load.Errors)} | {string.Join(", ", group.Select(r => r.Load.Throughput.ToString("F0", inv)))} |");
        }

        return m.ToString();
    }

    /// <summary>Every thread of a running process onto one core (threads it starts later inherit it).</summary>
    /// <summary>Sessions of the tenant, scheduled in blocks ahead of the round trips that fill them (25 guests each).</summary>
    private sealed class SessionPool(SessionService.SessionServiceClient sessions, string tenant, string technician)
    {
        private readonly List<string> _names = [];
        private long _nextSlot;

        public async Task EnsureAsync(long pairs)
        {
            var perBlock = (long)ServerRoles.ParticipantsPerSession * Block;
            var total = (int)((Interlocked.Read(ref _nextSlot) + pairs + perBlock - 1) / perBlock * Block);
            var from = _names.Count;
            await Parallel.ForAsync(from, total, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
                await sessions.CreateSessionAsync(ServerRoles.Schedule(tenant, technician, i), cancellationToken: ct));
            _names.AddRange(Enumerable.Range(from, Math.Max(0, total - from)).Select(i => ServerRoles.SessionName(tenant, i)));
        }

        public async Task JoinAndAdmitAsync()
        {
            var slot = Interlocked.Increment(ref _nextSlot) - 1;
            var index = ServerRoles.SessionIndex(slot, Block);
            if (index >= _names.Count)
            {
                // Give the slot back and pause, so a window that outruns its sessions counts errors instead of
                // spinning through millions of slots (which the next EnsureAsync would then try to schedule).
                Interlocked.Decrement(ref _nextSlot);
                await Task.Delay(10);
                throw new InvalidOperationException($"out of scheduled sessions ({_names.Count}) at slot {slot}");
            }

            await ServerRoles.JoinAndAdmitAsync(sessions, _names[index], slot);
        }
    }
}
