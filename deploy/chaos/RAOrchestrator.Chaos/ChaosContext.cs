using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Chaos;

/// <summary>
/// Everything on loopback the run needs: Azurite on disk (so an outage keeps its data), the Graph emulator, a cluster
/// of server processes, a partner's balanced channel over all of them, and a channel to each.
/// </summary>
public sealed class ChaosContext : IAsyncDisposable
{
    public const string Partner = "chaos-partner";
    private const string Issuer = "https://chaos.local/v2.0";

    private readonly GrpcChannel[] _direct;
    private readonly byte[] _key;

    private ChaosContext(ChaosOptions options, AzuriteProcess azurite, GraphEmulatorServer emulator, LocalCluster cluster, string clusterId, byte[] key)
    {
        _key = key;
        var token = PartnerTokens.Create(key, Issuer, Partner);
        Options = options;
        Azurite = azurite;
        Emulator = emulator;
        Cluster = cluster;
        Membership = new MembershipTable(azurite.ConnectionString, clusterId);
        Balanced = BalancedChannel.Create(cluster.ApiPorts, maxAttempts: 5);
        _direct = cluster.Ports.Select(p => GrpcChannel.ForAddress($"http://127.0.0.1:{p.Api}")).ToArray();
        Invoker = Authorize(Balanced, token);
        DirectInvokers = _direct.Select(c => Authorize(c, token)).ToArray();
    }

    public ChaosOptions Options { get; }
    public AzuriteProcess Azurite { get; }
    public GraphEmulatorServer Emulator { get; }
    public LocalCluster Cluster { get; }
    public MembershipTable Membership { get; }
    public GrpcChannel Balanced { get; }

    /// <summary>The partner's calls over the balanced channel (all processes, round robin).</summary>
    public CallInvoker Invoker { get; }

    /// <summary>The partner's calls to one process each.</summary>
    public IReadOnlyList<CallInvoker> DirectInvokers { get; }

    public Throughput Throughput { get; } = new();

    /// <summary>Another partner's calls over the balanced channel (a workload whose tenants must not be <see cref="Partner"/>'s).</summary>
    public CallInvoker InvokerFor(string partner) => Authorize(Balanced, PartnerTokens.Create(_key, Issuer, partner));

    public static async Task<ChaosContext> StartAsync(ChaosOptions options, Action<string> log)
    {
        var azurite = await AzuriteProcess.StartAsync(persistent: true);
        var emulator = await TestEmulator.StartAsync();
        emulator.State.Faults.Settings = new FaultSettings { LatencyMs = options.GraphLatencyMs };
        log($"Azurite (on disk) table port {azurite.TablePort}; Graph emulator {emulator.BaseAddress}");

        var key = RandomNumberGenerator.GetBytes(32);
        var serviceId = "chaos-" + Guid.NewGuid().ToString("N")[..8];
        var cluster = await LocalCluster.StartAsync(options.Silos, ports =>
        {
            var settings = TestServerSettings.For(azurite.ConnectionString, emulator, serviceId, ports.Api, ports.Management, ports.Silo, ports.Gateway, Issuer, Convert.ToBase64String(key));
            settings["Logging:LogLevel:Default"] = "Warning";
            return settings;
        });
        var context = new ChaosContext(options, azurite, emulator, cluster, serviceId + "-cluster", key);
        var formed = await LocalCluster.WaitForActiveAsync(context.Membership, cluster.Ports.Select(p => p.Silo), TimeSpan.FromSeconds(90));
        log($"{options.Silos} silos active (API ports {string.Join(", ", cluster.ApiPorts)}), cluster formed {formed.TotalSeconds:F1} s after the last process listened");
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        Balanced.Dispose();
        foreach (var channel in _direct)
        {
            channel.Dispose();
        }

        await Cluster.DisposeAsync();
        await Emulator.DisposeAsync();
        await Azurite.DisposeAsync();
    }

    private static CallInvoker Authorize(GrpcChannel channel, string token) => channel.Intercept(metadata =>
    {
        metadata.Add("authorization", "Bearer " + token);
        return metadata;
    });
}
