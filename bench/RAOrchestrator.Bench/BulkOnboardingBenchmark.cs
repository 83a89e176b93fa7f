using System.Diagnostics;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Bench;

/// <summary>
/// Bulk onboarding end to end on this machine: Azurite, the Graph emulator with a per-request latency and the
/// published throttling budgets, and the real host, driven through the gRPC API. Reports tenants per minute, Graph
/// round trips per tenant and the share of requests answered 429.
/// Usage: bulk-onboarding [tenants=200] [parallelism=32] [latencyMs=50]
/// </summary>
public static class BulkOnboardingBenchmark
{
    public static int Run(string[] args)
    {
        var tenants = args.Length > 0 ? int.Parse(args[0]) : 200;
        var parallelism = args.Length > 1 ? int.Parse(args[1]) : 32;
        var latency = args.Length > 2 ? int.Parse(args[2]) : 50;
        RunAsync(tenants, parallelism, latency).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task RunAsync(int count, int parallelism, int latencyMs)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid().ToString("D")).ToArray();
        await using var stack = await LocalStack.StartAsync(async emulator =>
        {
            foreach (var id in ids)
            {
                await TestEmulator.AddTenantAsync(emulator, id);
            }
        });
        var bulk = new BulkOnboardingService.BulkOnboardingServiceClient(stack.Invoker);
        var operations = new OperationService.OperationServiceClient(stack.Invoker);

        var request = new StartBulkOnboardingRequest { RequestId = Guid.NewGuid().ToString(), MaxParallelism = parallelism };
        request.Tenants.AddRange(ids.Select(id => new BulkTenant
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
        }));

        var emulator = stack.Emulator;
        emulator.State.Counters.Reset();
        emulator.State.Faults.Settings = new FaultSettings { LatencyMs = latencyMs };
        var clock = Stopwatch.StartNew();
        var started = await bulk.StartBulkOnboardingAsync(request);
        var last = started.Operation;
        using var watch = operations.WatchOperation(new WatchOperationRequest { Name = started.Operation.Name });
        await foreach (var update in watch.ResponseStream.ReadAllAsync())
        {
            last = update.Operation;
        }

        clock.Stop();
        long requests = 0, tokens = 0, throttled = 0;
        foreach (var id in ids)
        {
            var c = emulator.State.Counters.ForTenant(id);
            requests += c.Requests;
            tokens += c.TokenRequests;
            throttled += c.Throttled;
        }

        Console.WriteLine($"bulk onboarding: {count} tenants, parallelism {parallelism}, Graph latency {latencyMs} ms, published throttling budgets");
        Console.WriteLine($"  outcome                 {last.State}: {last.Bulk.Succeeded} active, {last.Bulk.NeedsAttention} needs attention, {last.Bulk.Failed} failed");
        Console.WriteLine($"  wall time               {clock.Elapsed.TotalSeconds:0.0} s");
        Console.WriteLine($"  tenants per minute      {count / clock.Elapsed.TotalMinutes:0}");
        Console.WriteLine($"  Graph requests/tenant   {(double)requests / count:0.00} (+ {(double)tokens / count:0.00} token requests)");
        Console.WriteLine($"  answered 429            {throttled} of {requests} ({(requests == 0 ? 0 : 100.0 * throttled / requests):0.00} %)");
    }
}
