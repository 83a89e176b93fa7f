using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Authentication.Azure;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using RAOrchestrator.Directory.Throttling;

namespace RAOrchestrator.Directory;

/// <summary>
/// One Azure.Identity credential and one GraphServiceClient per customer tenant, for the MSP's single multi-tenant
/// app. The SDK's own pipeline runs (redirects, headers, telemetry) with its retry handler swapped for ours; one
/// pooled socket handler serves every tenant.
/// </summary>
public sealed class TenantGraphClients : IDisposable
{
    public const string GraphScope = "https://graph.microsoft.com/.default";

    private readonly GraphOptions _options;
    private readonly GraphRateGovernor _governor;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _logs;
    private readonly SocketsHttpHandler _wire;
    private readonly ConcurrentDictionary<string, Lazy<(TokenCredential Credential, GraphServiceClient Client)>> _tenants = new(StringComparer.Ordinal);
    private readonly X509Certificate2? _clientCertificate;

    public TenantGraphClients(GraphOptions options, GraphRateGovernor governor, TimeProvider time, ILoggerFactory logs)
    {
        _options = options;
        _governor = governor;
        _time = time;
        _logs = logs;
        _wire = CreateWireHandler(options.PinnedCertificateSha256);
        if (options.Credential == GraphCredentialKind.ClientCertificate)
        {
            _clientCertificate = X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath!, options.CertificatePassword);
        }
    }

    public GraphOptions Options => _options;

    public TokenCredential Credential(string tenantId) => Get(tenantId).Credential;

    public GraphServiceClient Client(string tenantId) => Get(tenantId).Client;

    public void Dispose()
    {
        _wire.Dispose();
        _clientCertificate?.Dispose();
    }

    private (TokenCredential Credential, GraphServiceClient Client) Get(string tenantId) =>
        _tenants.GetOrAdd(tenantId, id => new Lazy<(TokenCredential, GraphServiceClient)>(() => Create(id))).Value;

    private (TokenCredential, GraphServiceClient) Create(string tenantId)
    {
        var credential = CreateCredential(tenantId);
        var graphHost = new Uri(_options.BaseUrl).Host;
        var auth = new AzureIdentityAuthenticationProvider(credential, [graphHost], null, false, GraphScope);

        var handlers = GraphClientFactory.CreateDefaultHandlers().Where(h => h is not RetryHandler).ToList();
        handlers.Add(new GraphResilienceHandler(tenantId, _governor, _options, _time, _logs.CreateLogger<TenantGraphClients>()));
        var http = GraphClientFactory.Create(handlers, finalHandler: _wire, disposeHandler: false);
        http.Timeout = Timeout.InfiniteTimeSpan; // the resilience handler bounds attempts; callers pass cancellation
        return (credential, NewGraphClient(http, auth, _options.BaseUrl));
    }

    /// <summary>
    /// A new GraphServiceClient wraps the JSON writer in Kiota's process-wide registry in the backing store's proxy,
    /// reading and writing the registry unguarded: two clients made at the same moment wrapped it twice, and from then
    /// on every property set to null was written twice (a body the emulator refuses, as a strict JSON reader does).
    /// Made one at a time, it is wrapped once.
    /// </summary>
    private static GraphServiceClient NewGraphClient(HttpClient http, AzureIdentityAuthenticationProvider auth, string baseUrl)
    {
        lock (SerializationWriterFactoryRegistry.DefaultInstance)
        {
            return new GraphServiceClient(http, auth, baseUrl);
        }
    }

    private TokenCredential CreateCredential(string tenantId)
    {
        var authority = new Uri(_options.AuthorityHost);
        var customAuthority = !authority.Host.EndsWith("login.microsoftonline.com", StringComparison.OrdinalIgnoreCase);
        var transport = _options.PinnedCertificateSha256 is null ? null : new HttpClientTransport(CreateWireHandler(_options.PinnedCertificateSha256));
        return _options.Credential switch
        {
            GraphCredentialKind.ClientCertificate => new ClientCertificateCredential(tenantId, _options.ClientId, _clientCertificate,
                Configure(new ClientCertificateCredentialOptions(), authority, customAuthority, transport)),
            GraphCredentialKind.WorkloadIdentity => new WorkloadIdentityCredential(
                Configure(new WorkloadIdentityCredentialOptions { TenantId = tenantId, ClientId = _options.ClientId }, authority, customAuthority, transport)),
            _ => new ClientSecretCredential(tenantId, _options.ClientId, _options.ClientSecret,
                Configure(new ClientSecretCredentialOptions(), authority, customAuthority, transport)),
        };
    }

    private T Configure<T>(T options, Uri authority, bool customAuthority, HttpPipelineTransport? transport)
        where T : TokenCredentialOptions
    {
        options.AuthorityHost = authority;

        // Token requests have the same deadline per attempt as Graph's (Azure.Core's pipeline retries them).
        options.Retry.NetworkTimeout = _options.AttemptTimeout;
        if (transport is not null)
        {
            options.Transport = transport;
        }

        if (options is ClientSecretCredentialOptions secret)
        {
            secret.DisableInstanceDiscovery = customAuthority;
        }
        else if (options is ClientCertificateCredentialOptions certificate)
        {
            certificate.DisableInstanceDiscovery = customAuthority;
        }
        else if (options is WorkloadIdentityCredentialOptions workload)
        {
            workload.DisableInstanceDiscovery = customAuthority;
        }

        return options;
    }

    /// <summary>Pooled connections; with a pin, exactly one certificate (the local emulator's) is trusted.</summary>
    private static SocketsHttpHandler CreateWireHandler(string? pinnedSha256) =>
        new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 256 }.Trusting(pinnedSha256);
}
