using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Client;

/// <summary>
/// One channel to the API (<see cref="ClientChannel"/>) and a client for each service on it. Every call carries
/// <c>authorization: Bearer &lt;token&gt;</c> from the token provider, as call credentials; a mutation sent without a
/// request_id gets one (<see cref="RequestIdFilling"/>), so the channel may repeat it on UNAVAILABLE.
/// Create one per process and share it: the channel multiplexes concurrent calls and keeps the balancing state.
/// </summary>
public sealed class RAOrchestratorClient : IDisposable
{
    private readonly GrpcChannel _channel;

    private RAOrchestratorClient(GrpcChannel channel, IReadOnlyList<Interceptor> interceptors)
    {
        _channel = channel;

        // The last Intercept is the outermost: the caller's interceptors see the request_id that is sent.
        var invoker = channel.CreateCallInvoker().Intercept([.. interceptors]).Intercept(new RequestIdFilling());
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

    public static RAOrchestratorClient Create(RAOrchestratorClientOptions options) => new(ClientChannel.Create(options), options.Interceptors);

    public void Dispose() => _channel.Dispose();
}
