using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using RAOrchestrator.Client;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Server.Tests.Infrastructure;

/// <summary>A three-process cluster on the suite's Azurite and emulator, and what the cluster tests do with it.</summary>
public sealed class ClusterWorld(ServerFixture fixture, LocalCluster cluster, string clusterId) : IAsyncDisposable
{
    public LocalCluster Cluster => cluster;

    public MembershipTable Membership { get; } = new(fixture.Azurite.ConnectionString, clusterId);

    public string Partner { get; } = TestIds.NewPartner();

    public static async Task<ClusterWorld> StartAsync(ServerFixture fixture, int size = 3)
    {
        var serviceId = "cluster-" + Guid.NewGuid().ToString("N")[..8];
        var cluster = await LocalCluster.StartAsync(size, ports =>
        {
            var settings = ServerInstance.Settings(fixture.Azurite, fixture.Emulator, fixture.Tokens, serviceId, ports.Api, ports.Management, ports.Silo, ports.Gateway);
            // Each served request is logged, so a test sees which process answered.
            settings["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information";
            return settings;
        });
        var world = new ClusterWorld(fixture, cluster, serviceId + "-cluster");
        await LocalCluster.WaitForActiveAsync(world.Membership, cluster.Ports.Select(p => p.Silo), TimeSpan.FromSeconds(60));
        return world;
    }

    public GrpcChannel ChannelTo(int member) => GrpcChannel.ForAddress($"http://127.0.0.1:{cluster.Ports[member].Api}");

    public CallInvoker Writer(GrpcChannel channel) => Authorized(channel, fixture.Tokens.Writer(Partner));

    /// <summary>The partner's client library over every process: one static:/// address, round robin, retries.</summary>
    public RAOrchestratorClient Client() => RAOrchestratorClient.Create(new RAOrchestratorClientOptions
    {
        Address = BalancedChannel.StaticAddress(cluster.ApiPorts),
        Plaintext = true,
        Tokens = new StaticTokenProvider(fixture.Tokens.Writer(Partner)),
        Interceptors = [new AutoApproval(fixture.Emulator)],
    });

    /// <summary>Onboards <paramref name="count"/> tenants through the channel, a few at a time; returns their names.</summary>
    public async Task<IReadOnlyList<string>> OnboardAsync(GrpcChannel channel, int count)
    {
        var tenants = new TenantService.TenantServiceClient(Writer(channel));
        var operations = new OperationService.OperationServiceClient(Writer(channel));
        var names = new List<string>();
        foreach (var chunk in Enumerable.Range(0, count).Chunk(8))
        {
            names.AddRange(await Task.WhenAll(chunk.Select(async _ =>
            {
                var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
                var created = await tenants.CreateTenantAsync(ReadyTenants.Create(tenantId));
                await operations.WatchToEndAsync(created.Operation.Name);
                return created.Tenant.Name;
            })));
        }

        return names;
    }

    /// <summary>Requests of this method that a member's host has logged as served so far.</summary>
    public int Served(int member, string method) => cluster[member]!.Output.Count(line => line.Contains("Request starting", StringComparison.Ordinal) && line.Contains(method, StringComparison.Ordinal));

    public ValueTask DisposeAsync() => cluster.DisposeAsync();

    private CallInvoker Authorized(GrpcChannel channel, string token) => channel.Intercept(metadata =>
    {
        metadata.Add("authorization", "Bearer " + token);
        return metadata;
    }).Intercept(new AutoApproval(fixture.Emulator));
}
