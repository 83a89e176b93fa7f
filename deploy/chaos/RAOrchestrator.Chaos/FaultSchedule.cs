using System.Diagnostics;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Chaos;

/// <summary>One injected fault and what it cost: when, how long until the cluster noticed, until it served again.</summary>
public sealed record FaultRecord(string Fault, TimeSpan At, TimeSpan Duration, TimeSpan? DeclaredDead, TimeSpan? ServedAgain, TimeSpan? Rejoined, TimeSpan? Ready);

/// <summary>
/// The faults of the run, one after another: SIGKILL of a silo (a different one each round) every interval, the
/// killed process started again on its ports; then Azure Storage stopped for the outage and started again on the
/// same data and port.
/// </summary>
public static class FaultSchedule
{
    public static async Task<IReadOnlyList<FaultRecord>> RunAsync(ChaosContext context, TenantPool pool, Action<string> log)
    {
        var options = context.Options;
        var records = new List<FaultRecord>();
        await Task.Delay(options.WarmUp);
        for (var round = 0; round < options.KillRounds; round++)
        {
            var roundStart = Stopwatch.StartNew();
            var record = await KillAsync(context, pool, round % options.Silos);
            records.Add(record);
            log($"round {round + 1}: {record.Fault} at {record.At.TotalSeconds:F0} s; declared dead after {Seconds(record.DeclaredDead)}, its grains served again after {Seconds(record.ServedAgain)}, rejoined after {Seconds(record.Rejoined)}");
            var rest = options.KillInterval - roundStart.Elapsed;
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest);
            }
        }

        if (options.StorageOutage > TimeSpan.Zero)
        {
            var record = await OutageAsync(context);
            records.Add(record);
            log($"storage outage at {record.At.TotalSeconds:F0} s for {record.Duration.TotalSeconds:F0} s; every silo ready {Seconds(record.Ready)} after storage returned");
        }

        return records;
    }

    private static async Task<FaultRecord> KillAsync(ChaosContext context, TenantPool pool, int member)
    {
        var at = context.Throughput.Elapsed;
        var clock = Stopwatch.StartNew();
        await context.Cluster.KillMemberAsync(member);
        var survivors = Enumerable.Range(0, context.Options.Silos).Where(m => m != member).ToArray();

        var dead = Measure(clock, () => LocalCluster.WaitForActiveAsync(context.Membership, survivors.Select(m => context.Cluster.Ports[m].Silo), TimeSpan.FromSeconds(60)));
        var served = Measure(clock, () => ServeAllAsync(context, pool, survivors, TimeSpan.FromSeconds(60)));
        var (declaredDead, servedAgain) = (await dead, await served);

        var restart = Stopwatch.StartNew();
        await context.Cluster.StartMemberAsync(member);
        await LocalCluster.WaitForActiveAsync(context.Membership, context.Cluster.Ports.Select(p => p.Silo), TimeSpan.FromSeconds(90));
        return new FaultRecord($"SIGKILL silo {member + 1}", at, clock.Elapsed, declaredDead, servedAgain, restart.Elapsed, null);
    }

    /// <summary>Every tenant seen ACTIVE so far (a sample of 60) answers through the survivors, those whose grains the dead silo held included.</summary>
    private static async Task ServeAllAsync(ChaosContext context, TenantPool pool, int[] survivors, TimeSpan limit)
    {
        var sample = pool.Active.Take(60).ToArray();
        var deadline = DateTime.UtcNow + limit;
        var pending = sample.ToList();
        while (pending.Count > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{pending.Count} tenants not served by the survivors in {limit}");
            }

            var results = await Task.WhenAll(pending.Select(async (id, i) =>
            {
                var tenants = new TenantService.TenantServiceClient(context.DirectInvokers[survivors[i % survivors.Length]]);
                try
                {
                    await tenants.GetTenantAsync(new GetTenantRequest { Name = TenantPool.Name(id) }, deadline: DateTime.UtcNow.AddSeconds(5));
                    return (id, served: true);
                }
                catch (RpcException)
                {
                    return (id, served: false);
                }
            }));
            pending = results.Where(r => !r.served).Select(r => r.id).ToList();
            if (pending.Count > 0)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task<FaultRecord> OutageAsync(ChaosContext context)
    {
        var at = context.Throughput.Elapsed;
        await context.Azurite.StopAsync();
        await Task.Delay(context.Options.StorageOutage);
        var duration = context.Throughput.Elapsed - at;
        await context.Azurite.RestartAsync();
        var back = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var ports in context.Cluster.Ports)
        {
            while (!await ReadyAsync(http, ports.Management))
            {
                if (back.Elapsed > TimeSpan.FromSeconds(120))
                {
                    throw new TimeoutException($"silo with API port {ports.Api} not ready 120 s after storage returned");
                }

                await Task.Delay(200);
            }
        }

        return new FaultRecord("storage outage", at, duration, null, null, null, back.Elapsed);
    }

    private static async Task<bool> ReadyAsync(HttpClient http, int port)
    {
        try
        {
            return (await http.GetAsync($"http://127.0.0.1:{port}/health/ready")).IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task<TimeSpan?> Measure(Stopwatch clock, Func<Task> until)
    {
        try
        {
            await until();
            return clock.Elapsed;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private static string Seconds(TimeSpan? span) => span is { } s ? $"{s.TotalSeconds:F1} s" : "never (timed out)";
}
