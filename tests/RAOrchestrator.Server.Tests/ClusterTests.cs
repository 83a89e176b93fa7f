using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using RAOrchestrator.Testing;
using Xunit.Abstractions;

namespace RAOrchestrator.Server.Tests;

/// <summary>Three server processes on this machine form one cluster through Azure Table membership.</summary>
[Collection(ServerCollection.Name)]
public sealed class ClusterTests(ServerFixture fixture, ITestOutputHelper output)
{
    private const string GetTenantMethod = "/raorchestrator.v1.TenantService/GetTenant";
    private static readonly TimeSpan DeathLimit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Any_process_of_the_cluster_answers_for_the_same_grain_and_a_cleanly_stopped_silo_hands_its_grains_off()
    {
        await using var world = await ClusterWorld.StartAsync(fixture);
        var channels = Enumerable.Range(0, 3).Select(world.ChannelTo).ToArray();
        var names = await world.OnboardAsync(channels[0], 12);

        // Every process sees every tenant with the same etag: one grain per tenant, wherever the call lands.
        foreach (var name in names)
        {
            var views = await Task.WhenAll(channels.Select(c => GetAsync(world, c, name)));
            Assert.All(views, v => Assert.Equal(Tenant.Types.State.Active, v.State));
            Assert.Single(views.Select(v => v.Etag).Distinct());
        }

        // A write through one process is read back through the others.
        var tenants = new TenantService.TenantServiceClient(world.Writer(channels[1]));
        var renamed = (await tenants.UpdateTenantAsync(new UpdateTenantRequest
        {
            RequestId = TestIds.NewRequestId(),
            Tenant = new Tenant { Name = names[0], DisplayName = "Renamed through process 1" },
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "display_name" } },
        })).Tenant;
        Assert.Equal(renamed.Etag, (await GetAsync(world, channels[2], names[0])).Etag);

        // SIGTERM: the silo leaves the cluster (its row says Dead at once) and the others serve all its grains.
        var clock = Stopwatch.StartNew();
        await world.Cluster.StopMemberAsync(2, TimeSpan.FromSeconds(30));
        var stopped = clock.Elapsed;
        await LocalCluster.WaitForActiveAsync(world.Membership, world.Cluster.Ports.Take(2).Select(p => p.Silo), TimeSpan.FromSeconds(5));
        var views2 = await Task.WhenAll(names.Select(n => GetAsync(world, channels[0], n, TimeSpan.FromSeconds(5))));
        output.WriteLine($"clean stop took {stopped.TotalSeconds:F1} s; all {names.Count} tenants served by the others {clock.Elapsed.TotalSeconds:F1} s after SIGTERM");
        Assert.All(views2, v => Assert.Equal(Tenant.Types.State.Active, v.State));
        Assert.Equal(renamed.Etag, views2[0].Etag);
        foreach (var channel in channels)
        {
            channel.Dispose();
        }
    }

    [Fact]
    public async Task A_silo_killed_with_SIGKILL_is_declared_dead_within_20_seconds_and_the_survivors_serve_its_grains_while_a_balanced_client_moves_on()
    {
        await using var world = await ClusterWorld.StartAsync(fixture);
        using var balanced = BalancedChannel.Create(world.Cluster.ApiPorts);
        var names = await world.OnboardAsync(balanced, 24);

        // Round robin spreads calls over every process.
        var before = Enumerable.Range(0, 3).Select(m => world.Served(m, GetTenantMethod)).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => GetAsync(world, balanced, names[i % names.Count])));
        await Task.Delay(500);
        var spread = Enumerable.Range(0, 3).Select(m => world.Served(m, GetTenantMethod) - before[m]).ToArray();
        output.WriteLine($"60 reads through the balanced channel, served per process: {string.Join(", ", spread)}");
        Assert.All(spread, served => Assert.InRange(served, 10, 30));

        // SIGKILL the third process while reads keep flowing through the balanced channel.
        using var reading = new CancellationTokenSource();
        var failures = new List<string>();
        var reads = 0;
        var reader = Task.Run(async () =>
        {
            while (!reading.IsCancellationRequested)
            {
                try
                {
                    await GetAsync(world, balanced, names[reads % names.Count], TimeSpan.FromSeconds(10));
                }
                catch (RpcException ex) when (ex.StatusCode != StatusCode.Unavailable || ex.Reason() != "CLUSTER_UNAVAILABLE")
                {
                    lock (failures)
                    {
                        failures.Add($"{ex.StatusCode} {ex.Status.Detail}");
                    }
                }
                catch (RpcException)
                {
                    // The grain lived on the killed silo and it is not declared dead yet: the caller is told to retry.
                }

                Interlocked.Increment(ref reads);
            }
        });

        var killedSilo = world.Cluster.Ports[2].Silo;
        var clock = Stopwatch.StartNew();
        await world.Cluster.KillMemberAsync(2);
        var declaredDead = await LocalCluster.WaitForActiveAsync(world.Membership, world.Cluster.Ports.Take(2).Select(p => p.Silo), DeathLimit);

        // Survivors serve every tenant again, those whose grains lived on the killed silo included.
        var survivors = new[] { world.ChannelTo(0), world.ChannelTo(1) };
        while (true)
        {
            var served = await Task.WhenAll(names.Select(async (n, i) =>
            {
                try
                {
                    return (await GetAsync(world, survivors[i % 2], n, TimeSpan.FromSeconds(5))).State == Tenant.Types.State.Active;
                }
                catch (RpcException)
                {
                    return false;
                }
            }));
            if (served.All(s => s))
            {
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(40), "the survivors never served every tenant");
            await Task.Delay(100);
        }

        var servedAgain = clock.Elapsed;
        await reading.CancelAsync();
        await reader;
        output.WriteLine($"silo {killedSilo} declared dead {declaredDead.TotalSeconds:F1} s after SIGKILL; all {names.Count} tenants served again after {servedAgain.TotalSeconds:F1} s; {reads} balanced reads meanwhile");
        Assert.True(declaredDead < DeathLimit);
        Assert.Empty(failures);
        Assert.True(reads > 0);
        foreach (var channel in survivors)
        {
            channel.Dispose();
        }
    }

    private static async Task<Tenant> GetAsync(ClusterWorld world, GrpcChannel channel, string name, TimeSpan? deadline = null)
    {
        var tenants = new TenantService.TenantServiceClient(world.Writer(channel));
        var response = await tenants.GetTenantAsync(new GetTenantRequest { Name = name }, deadline: DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(30)));
        return response.Tenant;
    }
}
