using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.Server;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Web.Tests.Infrastructure;

/// <summary>
/// The real host in this process on free loopback ports (gRPC API and web pages over real sockets), against Azurite
/// and the Graph emulator, with the settings every end-to-end test uses (<see cref="TestServerSettings"/>). Partners
/// call it with development tokens; their tenant claims wait for an administrator, as in production.
/// </summary>
public sealed class LoopbackHost : IAsyncDisposable
{
    private const string Issuer = "https://issuer.test/raorchestrator-web-tests/v2.0";
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;
    private readonly Func<string, string> _partnerToken;
    private readonly AutoApproval _approval;

    private LoopbackHost(WebApplication app, Uri webUrl, int apiPort, Func<string, string> partnerToken, GraphEmulatorServer emulator)
    {
        _app = app;
        _approval = new AutoApproval(emulator);
        WebUrl = webUrl;
        _partnerToken = partnerToken;
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{apiPort}");
    }

    /// <summary>The host's services (e.g. its sign-in validators), for tests that call them directly.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// A host whose partner authority is the emulator's partner issuer (Auth:Authority): partners call it with the
    /// issuer's tokens, and partners' staff sign in to its lobby console there.
    /// </summary>
    public static Task<LoopbackHost> StartWithPartnerIssuerAsync(AzuriteProcess azurite, GraphEmulatorServer emulator) =>
        StartAsync(azurite, emulator, TestEmulator.PartnerIssuerSettings(emulator), partner => emulator.MintPartnerToken(partner, ["RAOrchestrator.Read", "RAOrchestrator.Write"]));

    /// <summary>Where the host serves its pages, e.g. http://127.0.0.1:{port}/.</summary>
    public Uri WebUrl { get; }

    /// <param name="overrides">Settings of this host beyond the test defaults (e.g. a short claim lifetime).</param>
    public static Task<LoopbackHost> StartAsync(AzuriteProcess azurite, GraphEmulatorServer emulator, IDictionary<string, string?>? overrides = null) =>
        StartAsync(azurite, emulator, overrides, null);

    private static async Task<LoopbackHost> StartAsync(AzuriteProcess azurite, GraphEmulatorServer emulator, IDictionary<string, string?>? overrides, Func<string, string>? partnerToken)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var apiPort = FreePort.Next();
        var settings = TestServerSettings.For(azurite.ConnectionString, emulator, "web-" + Guid.NewGuid().ToString("N")[..8],
            apiPort, FreePort.Next(), FreePort.Next(), FreePort.Next(), Issuer, Convert.ToBase64String(key));
        settings["Sessions:GateUrl"] = string.Empty; // invitation links lead to this host's own join page
        settings["Web:GateJoinsPerMinutePerAddress"] = "1000"; // every test's browser is 127.0.0.1
        foreach (var (name, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[name] = value;
        }

        var app = ServerApp.Build([], builder => builder.Configuration.AddInMemoryCollection(settings));
        await app.StartAsync();
        return new LoopbackHost(app, new Uri(settings["Web:Url"]!), apiPort, partnerToken ?? (partner => PartnerTokens.Create(key, Issuer, partner)), emulator);
    }

    public TenantService.TenantServiceClient Tenants(string partner) => new(Caller(partner));

    public OperationService.OperationServiceClient Operations(string partner) => new(Caller(partner));

    /// <summary>A partner's tenant client whose claims the tenant's administrator approves at once (for tests about something else).</summary>
    public TenantService.TenantServiceClient ApprovedTenants(string partner) => new(Caller(partner).Intercept(_approval));

    public SessionService.SessionServiceClient Sessions(string partner) => new(Caller(partner));

    public BarrierService.BarrierServiceClient Barriers(string partner) => new(Caller(partner));

    public ServiceAccountService.ServiceAccountServiceClient ServiceAccounts(string partner) => new(Caller(partner));

    private CallInvoker Caller(string partner)
    {
        var token = _partnerToken(partner);
        return _channel.CreateCallInvoker().Intercept(metadata =>
        {
            metadata.Add("authorization", "Bearer " + token);
            return metadata;
        });
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
