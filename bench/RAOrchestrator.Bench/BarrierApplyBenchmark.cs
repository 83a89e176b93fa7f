using System.Diagnostics;
using System.Text.Json.Nodes;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.GraphEmulator.Graph;
using RAOrchestrator.Testing;
using Proto = RAOrchestrator.Contracts.V1.BarrierPolicy;

namespace RAOrchestrator.Bench;

/// <summary>
/// Applying information barriers to a large tenant through the API: the emulator serves the users over Graph paging
/// (999 a page) with a per-request latency; segments by department (250), allow policies between neighbours.
/// Usage: barrier-apply [users=100000] [latencyMs=50]
/// </summary>
public static class BarrierApplyBenchmark
{
    private const int Segments = 250;

    public static int Run(string[] args)
    {
        var users = args.Length > 0 ? int.Parse(args[0]) : 100_000;
        var latency = args.Length > 1 ? int.Parse(args[1]) : 50;
        RunAsync(users, latency).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task RunAsync(int userCount, int latencyMs)
    {
        var tenantId = Guid.NewGuid().ToString("D");
        await using var stack = await LocalStack.StartAsync(async emulator =>
        {
            await TestEmulator.AddTenantAsync(emulator, tenantId);
            var tenant = emulator.State.Tenants[tenantId];
            lock (emulator.State.Sync)
            {
                for (var i = 0; i < userCount; i++)
                {
                    var user = new JsonObject
                    {
                        ["displayName"] = $"User {i}",
                        ["userPrincipalName"] = $"user{i}@bench.example",
                        ["mailNickname"] = $"user{i}",
                        ["department"] = $"D{i % Segments}",
                    };
                    UserModel.Normalize(user);
                    tenant.Users.Add(user);
                }
            }
        });

        var tenants = new TenantService.TenantServiceClient(stack.Invoker);
        var operations = new OperationService.OperationServiceClient(stack.Invoker);
        var barriers = new BarrierService.BarrierServiceClient(stack.Invoker);
        var created = await tenants.CreateTenantAsync(new CreateTenantRequest { TenantId = tenantId, Tenant = new Tenant { DisplayName = "Bench" } });
        await DrainAsync(operations, created.Operation.Name);
        var parent = created.Tenant.Name;
        for (var s = 0; s < Segments; s++)
        {
            await barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = parent, SegmentId = $"S{s}", Segment = new Segment { UserGroupFilter = $"Department -eq 'D{s}'" } });
        }

        for (var s = 0; s < Segments; s += 2)
        {
            await barriers.CreateBarrierPolicyAsync(new CreateBarrierPolicyRequest
            {
                Parent = parent,
                BarrierPolicyId = $"P{s}",
                BarrierPolicy = new Proto { AssignedSegment = $"S{s}", Kind = Proto.Types.Kind.Allow, Segments = { $"S{s}", $"S{(s + 1) % Segments}" }, State = Proto.Types.State.Active },
            });
        }

        stack.Emulator.State.Counters.Reset();
        stack.Emulator.State.Faults.Settings = new FaultSettings { LatencyMs = latencyMs };
        var clock = Stopwatch.StartNew();
        var apply = await barriers.ApplyBarrierPoliciesAsync(new ApplyBarrierPoliciesRequest { Parent = parent, RequestId = Guid.NewGuid().ToString() });
        var last = await DrainAsync(operations, apply.Operation.Name);
        clock.Stop();
        var graphRequests = stack.Emulator.State.Counters.ForTenant(tenantId).Requests;

        Console.WriteLine($"barrier apply: {userCount} users, {Segments} segments, {Segments / 2} allow policies, Graph latency {latencyMs} ms");
        Console.WriteLine($"  outcome            {last.State}");
        Console.WriteLine($"  apply time         {clock.Elapsed.TotalSeconds:0.0} s ({userCount / clock.Elapsed.TotalSeconds:0} users/s)");
        Console.WriteLine($"  Graph requests     {graphRequests} (pages of up to 999 users)");
    }

    private static async Task<Operation> DrainAsync(OperationService.OperationServiceClient operations, string name)
    {
        using var watch = operations.WatchOperation(new WatchOperationRequest { Name = name });
        Operation? last = null;
        await foreach (var update in watch.ResponseStream.ReadAllAsync())
        {
            last = update.Operation;
        }

        return last!;
    }
}
