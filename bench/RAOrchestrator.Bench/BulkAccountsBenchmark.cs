using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.Testing;
using RAOrchestrator.Bench.JoinAdmit;

namespace RAOrchestrator.Bench;

/// <summary>
/// Bulk onboarding with service-account plans end to end: Azurite, the Graph emulator with a per-request latency and
/// Graph's published throttling buckets (see <see cref="QuotaCeiling"/>), and the real host, driven through the gRPC
/// API. Reports accounts per second against the ceiling the buckets allow, the share of Graph requests answered 429,
/// Graph round trips per account (counted by the emulator and by the service's own raorchestrator.graph.requests),
/// tenants per minute, and checks the directory for duplicate users or licences.
/// Usage: bulk-accounts [tenants=200] [accountsPerTenant=5] [parallelism=64] [latencyMs=50] [timeScale=30] [rateScale=1] [safety=0.95]
/// </summary>
public static class BulkAccountsBenchmark
{
    /// <summary>
    /// Onboarding reads a tenant: organization ($select, 1), subscribedSkus (3), a user ($select, 1), the meeting-access
    /// probe (1), the Temporary Access Pass policy (1).
    /// </summary>
    private const double OnboardingUnits = 7;

    private static readonly string[] OnboardingEndpoints =
    [
        "GET /organization", "GET /subscribedSkus", "GET /users", "GET /users/{id}/onlineMeetings",
        "GET /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass",
    ];

    public static int Run(string[] args)
    {
        double Arg(int i, double fallback) => args.Length > i ? double.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        var tenants = (int)Arg(0, 200);
        var accounts = (int)Arg(1, 5);
        var parallelism = (int)Arg(2, 64);
        var latency = (int)Arg(3, 50);
        var buckets = new QuotaCeiling(Arg(4, 30), Arg(5, 1));
        var safety = Arg(6, 0.95);
        return RunAsync(tenants, accounts, parallelism, latency, buckets, safety).GetAwaiter().GetResult() ? 0 : 1;
    }

    private static async Task<bool> RunAsync(int count, int accountsPerTenant, int parallelism, int latencyMs, QuotaCeiling buckets, double safety)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid().ToString("D")).ToArray();
        await using var stack = await LocalStack.StartAsync(async emulator =>
        {
            foreach (var id in ids)
            {
                await TestEmulator.AddTenantAsync(emulator, id, remoteAssistSeats: accountsPerTenant + 5);
            }
        }, overrides: buckets.Gateway(safety));
        var bulk = new BulkOnboardingService.BulkOnboardingServiceClient(stack.Invoker);
        var operations = new OperationService.OperationServiceClient(stack.Invoker);
        var request = Request(ids, accountsPerTenant, parallelism);

        // The service's own count of its Graph round trips, beside the emulator's.
        long serviceRoundTrips = 0, serviceBatched = 0;
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RAOrchestrator.Directory.GraphTelemetry.Name && instrument.Name is "raorchestrator.graph.requests" or "raorchestrator.graph.batched_requests"
                || instrument.Name == "raorchestrator.grain.state.size")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        var stateBytes = new System.Collections.Concurrent.ConcurrentDictionary<string, (long Writes, long Bytes)>();
        meters.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            var type = tags.Length > 0 ? tags[0].Value as string ?? "?" : "?";
            stateBytes.AddOrUpdate(type, (1, value), (_, t) => (t.Writes + 1, t.Bytes + value));
        });
        meters.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "raorchestrator.graph.requests")
            {
                Interlocked.Add(ref serviceRoundTrips, value);
            }
            else
            {
                Interlocked.Add(ref serviceBatched, value);
            }
        });
        meters.Start();

        var emulator = stack.Emulator;
        emulator.State.Counters.Reset();
        emulator.State.Throttler.Settings = buckets.Emulator();
        emulator.State.Faults.Settings = new FaultSettings { LatencyMs = latencyMs };
        using var storageRequests = StorageRequests.StartIfAsked();
        var azuritePid = stack.Azurite.ProcessId ?? 0;
        var (hostCpuBefore, azuriteCpuBefore) = (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, CpuMeter.Split(azuritePid).Self);
        var clock = Stopwatch.StartNew();
        var started = await bulk.StartBulkOnboardingAsync(request);
        var progress = new List<(TimeSpan At, int Accounts)>();
        var tenantsDone = new List<int>();
        var last = started.Operation;

        // With BENCH_TRACE: what reached Graph each second (inner $batch requests, two an account), beside the progress the operation reports.
        using var traceEnd = new CancellationTokenSource();
        var graphTrace = new List<(TimeSpan At, long Inner)>();
        var sampling = Environment.GetEnvironmentVariable("BENCH_TRACE") is null ? Task.CompletedTask : Task.Run(async () =>
        {
            while (!traceEnd.IsCancellationRequested)
            {
                graphTrace.Add((clock.Elapsed, ids.Sum(id => emulator.State.Counters.ForTenant(id).InnerBatchRequests)));
                await Task.Delay(TimeSpan.FromSeconds(5));
            }
        });
        using (var watch = operations.WatchOperation(new WatchOperationRequest { Name = started.Operation.Name }))
        {
            await foreach (var update in watch.ResponseStream.ReadAllAsync())
            {
                last = update.Operation;
                progress.Add((clock.Elapsed, last.Bulk.Accounts.Succeeded));
                tenantsDone.Add(last.Bulk.Succeeded);
            }
        }

        clock.Stop();
        await traceEnd.CancelAsync();
        await sampling;
        var (hostCpu, azuriteCpu) = (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - hostCpuBefore, CpuMeter.Split(azuritePid).Self - azuriteCpuBefore);
        meters.Dispose();
        if (Environment.GetEnvironmentVariable("BENCH_TRACE") is not null)
        {
            foreach (var ((at, done), tenants) in progress.Zip(tenantsDone))
            {
                Console.WriteLine($"  trace {at.TotalSeconds,6:0.0} s {done,6} accounts {tenants,6} tenants");
            }

            foreach (var (at, sent) in graphTrace)
            {
                Console.WriteLine($"  graph {at.TotalSeconds,6:0.0} s {sent / 2,6} accounts' requests");
            }
        }

        // What went over the wire, as the emulator counted it.
        long requests = 0, inner = 0, batches = 0, throttled = 0, onboarding = 0, tokens = 0;
        var duplicates = 0;
        foreach (var id in ids)
        {
            var c = emulator.State.Counters.ForTenant(id);
            requests += c.Requests;
            inner += c.InnerBatchRequests;
            batches += c.BatchCalls;
            throttled += c.Throttled;
            tokens += c.TokenRequests;
            onboarding += OnboardingEndpoints.Sum(e => c.Endpoints.GetValueOrDefault(e)?.Requests ?? 0);
            duplicates += Duplicates(emulator, id);
        }

        var provisioned = last.Bulk.Accounts.Succeeded;
        var graphRequests = requests - batches + inner; // each inner request is one of Graph's requests for throttling
        var accountRoundTrips = requests - onboarding;
        var (ceiling, arithmetic) = buckets.For(count, accountsPerTenant, OnboardingUnits);
        var whole = provisioned / clock.Elapsed.TotalSeconds;
        var window = TimeSpan.FromSeconds(QuotaCeiling.AppWritesWindow / buckets.TimeScale);
        var (steady, windows) = SteadyRate(progress, window, TimeSpan.Zero);
        var firstAccount = progress.FirstOrDefault(p => p.Accounts > 0).At;
        var (phase, phaseWindows) = SteadyRate(progress, window, firstAccount);
        var throttledShare = graphRequests == 0 ? 0 : (double)throttled / graphRequests;
        var roundTripsPerAccount = (double)accountRoundTrips / Math.Max(1, provisioned);

        Console.WriteLine($"bulk accounts: {count} tenants x {accountsPerTenant} accounts, parallelism {parallelism}, Graph latency {latencyMs} ms, gateway safety {safety}");
        Console.WriteLine($"  outcome                  {last.State}: tenants {last.Bulk.Succeeded} active, {last.Bulk.NeedsAttention} needs attention, {last.Bulk.Failed} failed; " +
            $"accounts {provisioned} active, {last.Bulk.Accounts.Failed} failed, {last.Bulk.Accounts.Skipped} skipped");
        foreach (var line in arithmetic)
        {
            Console.WriteLine($"  {line}");
        }

        Console.WriteLine($"  wall time                {clock.Elapsed.TotalSeconds:0.0} s");
        Console.WriteLine($"  accounts per second      {steady:0.0} over {windows} whole {window.TotalSeconds:0} s write windows after the first ({steady / ceiling:0.00} of the ceiling); " +
            $"{whole:0.0} over the whole run, which includes the first window's burst allowance");
        Console.WriteLine($"  in the accounts phase    {phase:0.0} over {phaseWindows} whole windows from one window after the first account at {firstAccount.TotalSeconds:0.0} s " +
            $"({phase / ceiling:0.00} of the ceiling); before it the tenants are claimed, approved by their administrators and onboarded, and no account can be provisioned");
        Console.WriteLine($"  tenants per minute       {count / clock.Elapsed.TotalMinutes:0}");
        Console.WriteLine($"  answered 429             {throttled} of {graphRequests} Graph requests ({100.0 * throttledShare:0.00} %)");
        Console.WriteLine($"  round trips per account  {roundTripsPerAccount:0.000} ({accountRoundTrips} round trips, {batches} of them $batch with {inner} requests); " +
            $"with onboarding {(double)requests / Math.Max(1, provisioned):0.000}; the service counted {serviceRoundTrips} round trips ({serviceBatched} requests batched), the emulator {requests} (+ {tokens} token requests)");
        Console.WriteLine($"  CPU per account          host and emulator {hostCpu / Math.Max(1, provisioned) * 1e3:0.00} ms, Azurite {azuriteCpu / Math.Max(1, provisioned) * 1e3:0.00} ms " +
            $"({hostCpu:0} s and {azuriteCpu:0} s of {clock.Elapsed.TotalSeconds:0} s wall time; load average after {CpuMeter.LoadAverage()})");
        storageRequests?.Print("account", provisioned);
        var written = stateBytes.Values.Sum(t => t.Bytes);
        Console.WriteLine($"  grain state written      {written / Math.Max(1, provisioned):N0} bytes per account; by state, writes and bytes a write:");
        foreach (var (type, (writes, bytes)) in stateBytes.OrderByDescending(t => t.Value.Bytes))
        {
            Console.WriteLine($"    {type,-28} {(double)writes / Math.Max(1, provisioned),6:0.00} {bytes / Math.Max(1, writes),8:N0}");
        }
        Console.WriteLine($"  duplicates               {duplicates} (users with the same UPN, or a licence assigned twice, or seats consumed beyond the accounts)");
        var met = phase / ceiling >= 0.8 && throttled == 0 && roundTripsPerAccount <= 0.25 && duplicates == 0;
        Console.WriteLine($"  target                   in the accounts phase >= 0.8 of the ceiling, no 429, <= 0.25 round trips an account, no duplicate: " +
            (phaseWindows == 0 ? "undecided (the accounts phase was shorter than two windows)" : met ? "met" : "not met") +
            (buckets.RateScale == 1 ? string.Empty : $" (at rates x {buckets.RateScale}, not the published ones)"));
        return duplicates == 0 && provisioned == count * accountsPerTenant;
    }

    private static StartBulkOnboardingRequest Request(string[] ids, int accountsPerTenant, int parallelism)
    {
        var request = new StartBulkOnboardingRequest { RequestId = Guid.NewGuid().ToString(), MaxParallelism = parallelism };
        foreach (var id in ids)
        {
            var tenant = new BulkTenant
            {
                TenantId = id,
                Tenant = new Tenant
                {
                    DisplayName = "Bench " + id[..8],
                    MeetingSettings = new MeetingSettings
                    {
                        AnonymousJoin = MeetingSettings.Types.Switch.On,
                        OrganizerAnonymousJoin = MeetingSettings.Types.Switch.On,
                        AutoAdmittedUsers = MeetingSettings.Types.AutoAdmittedUsers.EveryoneInCompany,
                    },
                },
            };
            tenant.ServiceAccounts.AddRange(Enumerable.Range(0, accountsPerTenant).Select(i => new BulkServiceAccount
            {
                ServiceAccountId = $"vendor-{i}",
                DisplayName = $"OEM vendor {i}",
                UserPrincipalName = $"vendor-{i}@t{id[..8]}.example",
                UsageLocation = "DE",
                Attributes = { ["companyName"] = "OEM Ltd" },
            }));
            request.Tenants.Add(tenant);
        }

        return request;
    }

    /// <summary>Users beyond one per UPN, licences beyond one per user, seats consumed beyond the vendor users.</summary>
    private static int Duplicates(GraphEmulatorServer emulator, string tenantId)
    {
        var tenant = emulator.State.Tenants[tenantId];
        var vendors = tenant.Users.Where(u => ((string?)u["userPrincipalName"])!.StartsWith("vendor-", StringComparison.Ordinal)).ToArray();
        var sameUpn = vendors.Length - vendors.Select(u => ((string?)u["userPrincipalName"])!.ToLowerInvariant()).Distinct().Count();
        var extraLicences = vendors.Sum(u => Math.Max(0, u["assignedLicenses"]!.AsArray().Count - 1));
        var extraSeats = Math.Max(0, tenant.ConsumedUnits(TestEmulator.RemoteAssistSku) - vendors.Length);
        return sameUpn + extraLicences + extraSeats;
    }

    /// <summary>
    /// Accounts per second over whole app write windows after the first from <paramref name="start"/>: a sliding
    /// window lets a run spend a whole window's writes at once when it starts writing, and any stretch of n whole
    /// windows holds at most n windows' writes, so this rate is bounded by the sustained ceiling. Counted from the first
    /// progress update one window after <paramref name="start"/>, to the last update within n windows of it (the
    /// accounts done by then, divided by the n windows' full length).
    /// </summary>
    private static (double Rate, int Windows) SteadyRate(IReadOnlyList<(TimeSpan At, int Accounts)> progress, TimeSpan window, TimeSpan start)
    {
        var from = progress.FirstOrDefault(p => p.At >= start + window);
        var windows = from.At == TimeSpan.Zero ? 0 : (int)Math.Floor((progress[^1].At - from.At) / window);
        if (windows < 1)
        {
            return (0, 0);
        }

        var to = progress.Last(p => p.At <= from.At + (windows * window));
        return ((to.Accounts - from.Accounts) / (windows * window).TotalSeconds, windows);
    }
}
