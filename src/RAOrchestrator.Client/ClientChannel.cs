using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;

namespace RAOrchestrator.Client;

/// <summary>
/// The one way a channel to the API is built (the client, raorch, the examples and the tests' clusters use it):
/// HTTP/2 over <see cref="SocketsHttpHandler"/>, TLS or plaintext as the address says, a certificate pin, the partner
/// token as call credentials, round robin over every address of a dns:/// or static:/// target, and the retry
/// policy of <see cref="RetriedMethods"/> for UNAVAILABLE (which includes a call a stopping server turned away:
/// <see cref="GoneAwayAsUnavailable"/>).
/// </summary>
public static class ClientChannel
{
    /// <summary>How often a dns:/// name is resolved again, so new processes join the rotation.</summary>
    public static readonly TimeSpan DnsRefreshInterval = TimeSpan.FromSeconds(30);

    public static GrpcChannel Create(RAOrchestratorClientOptions options)
    {
        var address = ClientAddress.Parse(options.Address, options.Plaintext);
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        };
        if (options.PinnedCertificateSha256 is { } pin)
        {
            if (!address.Secure)
            {
                throw new ArgumentException("A certificate pin needs TLS: an https://, dns:/// or static:/// address without plaintext.", nameof(options));
            }

            handler.SslOptions.RemoteCertificateValidationCallback = CertificatePin.Validator(pin);
        }

        var transport = address.Secure ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
        var channelOptions = new GrpcChannelOptions
        {
            HttpHandler = new GoneAwayAsUnavailable(handler),
            DisposeHttpClient = true,
            MaxReceiveMessageSize = options.MaxReceiveMessageBytes ?? 4 * 1024 * 1024,
            Credentials = transport,
            ServiceConfig = ServiceConfigFor(address, options.MaxAttempts),
            ServiceProvider = new Resolvers(address),
        };
        if (options.Tokens is { } tokens)
        {
            var bearer = CallCredentials.FromInterceptor(async (context, metadata) =>
            {
                var token = await tokens.GetTokenAsync(context.CancellationToken).ConfigureAwait(false);
                metadata.Add("authorization", "Bearer " + token);
            });
            channelOptions.Credentials = ChannelCredentials.Create(transport, bearer);

            // A plaintext address is for a service on this machine (scripts/run.sh); elsewhere use TLS.
            channelOptions.UnsafeUseInsecureChannelCallCredentials = !address.Secure;
        }

        return GrpcChannel.ForAddress(address.Target, channelOptions);
    }

    /// <summary>Round robin for a balanced address; a retry policy for UNAVAILABLE on every retried method.</summary>
    public static ServiceConfig ServiceConfigFor(ClientAddress address, int maxAttempts)
    {
        var config = new ServiceConfig();
        if (address.Balanced)
        {
            config.LoadBalancingConfigs.Add(new RoundRobinConfig());
        }

        if (maxAttempts > 1)
        {
            var retried = new MethodConfig
            {
                RetryPolicy = new RetryPolicy
                {
                    MaxAttempts = maxAttempts,
                    InitialBackoff = TimeSpan.FromMilliseconds(200),
                    MaxBackoff = TimeSpan.FromSeconds(2),
                    BackoffMultiplier = 2,
                    RetryableStatusCodes = { StatusCode.Unavailable },
                },
            };
            foreach (var (service, method) in RetriedMethods.All())
            {
                retried.Names.Add(new MethodName { Service = service, Method = method });
            }

            config.MethodConfigs.Add(retried);
        }

        return config;
    }

    /// <summary>The resolvers the channel may use: dns (re-resolved every <see cref="DnsRefreshInterval"/>) and this address's static list.</summary>
    private sealed class Resolvers(ClientAddress address) : IServiceProvider
    {
        private readonly ResolverFactory[] _factories =
        [
            new DnsResolverFactory(DnsRefreshInterval),
            new StaticResolverFactory(_ => address.StaticEndpoints.Select(e => new BalancerAddress(e.Host, e.Port))),
        ];

        public object? GetService(Type serviceType) => serviceType == typeof(IEnumerable<ResolverFactory>) ? _factories : null;
    }
}
