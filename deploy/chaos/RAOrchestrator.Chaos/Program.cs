using RAOrchestrator.Chaos;

// The chaos run of issue 7 (see deploy/chaos/README.md): loopback only, bounded, ends by itself.
ChaosOptions options;
try
{
    options = ChaosOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine("usage: RAOrchestrator.Chaos [tenants=300] [rounds=4] [interval=30] [outage=30] [latency=150] [parallelism=6] [sessions=2000] [session-rate=150]");
    return 2;
}

var started = DateTime.UtcNow;
void Log(string message) => Console.WriteLine($"[{(DateTime.UtcNow - started).TotalSeconds,6:F1} s] {message}");

await using var context = await ChaosContext.StartAsync(options, Log);
var pool = new TenantPool();

// Add a workload here to hold more load through the faults.
IWorkload[] workloads =
[
    new OnboardingWorkload(pool),
    new ReaderWorkload(pool),
    new TenantWriterWorkload(pool),
    new ServiceAccountWorkload(pool),
    new SessionWorkload(),
];

foreach (var workload in workloads)
{
    await workload.PrepareAsync(context, Log);
}

// The run's clock (fault times, throughput) starts with the load.
context.Throughput.Restart();
started = DateTime.UtcNow;
using var stop = new CancellationTokenSource();
var running = workloads.Select(w => Task.Run(() => w.RunAsync(context, stop.Token))).ToArray();
Log($"load started: {string.Join(", ", workloads.Select(w => w.Name))}");
var faults = await FaultSchedule.RunAsync(context, pool, Log);
var faultsEnded = context.Throughput.Elapsed;
await Task.Delay(options.CoolDown);

await stop.CancelAsync();
var loadStopped = context.Throughput.Elapsed;
await Task.WhenAll(running);
Log("faults over, load stopped; waiting for acknowledged work to finish");
foreach (var workload in workloads)
{
    await workload.SettleAsync(context, options.SettleLimit);
}

Log("verifying every acknowledged operation");
var reports = new List<WorkloadReport>();
foreach (var workload in workloads)
{
    reports.Add(await workload.VerifyAsync(context));
}

var logs = Directory.CreateTempSubdirectory("raorchestrator-chaos-").FullName;
for (var member = 0; member < options.Silos; member++)
{
    await File.WriteAllLinesAsync(Path.Combine(logs, $"silo-{member + 1}.log"), context.Cluster[member]?.Output ?? []);
}

Log($"the silos' console output (warnings and errors, since their last start) is in {logs}");
return Report.Print(options, faults, reports, context.Throughput, faultsEnded, loadStopped) ? 0 : 1;
