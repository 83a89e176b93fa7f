using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Client;

/// <summary>
/// One HTTP/2 channel to the API and a client for each service on it. Every call carries
/// <c>authorization: Bearer &lt;token&gt;</c> from the token provider, as call credentials.
/// Create one per process and share it: the channel multiplexes concurrent calls.
/// </summary>
public sealed class RAOrchestratorClient : IDisposable
{
    private readonly GrpcChannel _channel;

    private RAOrchestratorClient(GrpcChannel channel, IReadOnlyList<Grpc.Core.Interceptors.Interceptor> interceptors)
    {
        _channel = channel;
        var invoker = channel.CreateCallInvoker().Intercept([.. interceptors]);
        Tenants = new TenantService.TenantServiceClient(invoker);
        BulkOnboarding = new BulkOnboardingService.BulkOnboardingServiceClient(invoker);
        Operations = new OperationService.OperationServiceClient(invoker);
        ServiceAccounts = new ServiceAccountService.ServiceAccountServiceClient(invoker);
        Barriers = new BarrierService.BarrierServiceClient(invoker);
        Sessions = new SessionService.SessionServiceClient(invoker);
        Directory = new DirectoryService.DirectoryServiceClient(invoker);
    }

    public TenantService.TenantServiceClient Tenants { get; }
    public BulkOnboardingService.BulkOnboardingServiceClient BulkOnboarding { get; }
    public OperationService.OperationServiceClient Operations { get; }
    public ServiceAccountService.ServiceAccountServiceClient ServiceAccounts { get; }
    public BarrierService.BarrierServiceClient Barriers { get; }
    public SessionService.SessionServiceClient Sessions { get; }
    public DirectoryService.DirectoryServiceClient Directory { get; }

    /// <summary>The channel, for clients of other services on the same endpoint (health, reflection).</summary>
    public GrpcChannel Channel => _channel;

    public static RAOrchestratorClient Create(string address, ITokenProvider? tokens, string? pinnedCertificateSha256 = null) =>
        Create(new RAOrchestratorClientOptions { Address = address, Tokens = tokens, PinnedCertificateSha256 = pinnedCertificateSha256 });

    public static RAOrchestratorClient Create(RAOrchestratorClientOptions options)
    {
        var address = ClientAddress.Parse(options.Address);
        var secure = address.Scheme == Uri.UriSchemeHttps;
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        };
        if (options.PinnedCertificateSha256 is { } pin)
        {
            if (!secure)
            {
                throw new ArgumentException("A certificate pin needs an https:// address.", nameof(options));
            }

            handler.SslOptions.RemoteCertificateValidationCallback = CertificatePin.Validator(pin);
        }

        var channelOptions = new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = options.MaxReceiveMessageBytes ?? 4 * 1024 * 1024,
        };
        if (options.Tokens is { } tokens)
        {
            var bearer = CallCredentials.FromInterceptor(async (context, metadata) =>
            {
                var token = await tokens.GetTokenAsync(context.CancellationToken).ConfigureAwait(false);
                metadata.Add("authorization", "Bearer " + token);
            });
            channelOptions.Credentials = ChannelCredentials.Create(secure ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure, bearer);

            // A plaintext address is for a service on this machine (scripts/run.sh); elsewhere use https.
            channelOptions.UnsafeUseInsecureChannelCallCredentials = !secure;
        }

        return new RAOrchestratorClient(GrpcChannel.ForAddress(address, channelOptions), options.Interceptors);
    }

    public void Dispose() => _channel.Dispose();
}
