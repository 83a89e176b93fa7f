using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace RAOrchestrator.Testing;

/// <summary>
/// A client channel to every API process of a cluster: grpc-dotnet client-side load balancing with a static
/// resolver (the addresses are known) and round_robin, so calls spread over all processes and skip one that is down.
/// A call that fails UNAVAILABLE before the server answered (its process just died) is retried on another
/// address; mutations are safe to repeat because every one carries a request_id.
/// </summary>
public static class BalancedChannel
{
    public static GrpcChannel Create(IEnumerable<int> apiPorts, int maxAttempts = 5)
    {
        var addresses = apiPorts.Select(port => new BalancerAddress("127.0.0.1", port)).ToArray();
        var services = new ServiceCollection();
        services.AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => addresses));
        return GrpcChannel.ForAddress("static:///raorchestrator", new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Insecure,
            ServiceProvider = services.BuildServiceProvider(),
            ServiceConfig = new ServiceConfig
            {
                LoadBalancingConfigs = { new RoundRobinConfig() },
                MethodConfigs =
                {
                    new MethodConfig
                    {
                        Names = { MethodName.Default },
                        RetryPolicy = new RetryPolicy
                        {
                            MaxAttempts = maxAttempts,
                            InitialBackoff = TimeSpan.FromMilliseconds(100),
                            MaxBackoff = TimeSpan.FromSeconds(2),
                            BackoffMultiplier = 2,
                            RetryableStatusCodes = { StatusCode.Unavailable },
                        },
                    },
                },
            },
        });
    }
}
