using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.Server.Configuration;

namespace RAOrchestrator.Server.Tests.Infrastructure;

/// <summary>The real host (silo + Kestrel gRPC) in this process on free loopback ports, against a real Azurite.</summary>
public sealed class ServerInstance : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private readonly AutoApproval _approval;

    private ServerInstance(WebApplication app, int apiPort, int managementPort, GraphEmulatorServer emulator)
    {
        _app = app;
        _approval = new AutoApproval(emulator);
        ApiPort = apiPort;
        ManagementPort = managementPort;
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{apiPort}");
    }

    public int ApiPort { get; }
    public int ManagementPort { get; }
    public GrpcChannel Channel => _channel;
    public IServiceProvider Services => _app.Services;

    /// <summary>Where the host serves its pages (Web:Url).</summary>
    public Uri WebUrl => new(Services.GetRequiredService<WebOptions>().Url);

    /// <param name="configure">Extra services for this host (e.g. a grain call filter that injects a fault).</param>
    public static async Task<ServerInstance> StartAsync(
        AzuriteProcess azurite, GraphEmulatorServer emulator, Tokens tokens, string serviceId, IDictionary<string, string?>? overrides = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var apiPort = FreePort.Next();
        var managementPort = FreePort.Next();
        var settings = Settings(azurite, emulator, tokens, serviceId, apiPort, managementPort, FreePort.Next(), FreePort.Next(), overrides);
        var app = ServerApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return new ServerInstance(app, apiPort, managementPort, emulator);
    }

    /// <summary>Every setting a test host needs, for an in-process host or a server process.</summary>
    public static Dictionary<string, string?> Settings(
        AzuriteProcess azurite, GraphEmulatorServer emulator, Tokens tokens, string serviceId, int apiPort, int managementPort, int siloPort, int gatewayPort,
        IDictionary<string, string?>? overrides = null)
    {
        var settings = TestServerSettings.For(azurite.ConnectionString, emulator, serviceId, apiPort, managementPort, siloPort, gatewayPort, Tokens.Issuer, tokens.SigningKeyBase64);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public TenantService.TenantServiceClient Tenants(string? token) => new(Invoker(token));

    public OperationService.OperationServiceClient Operations(string? token) => new(Invoker(token));

    /// <summary>Calls as a partner with <paramref name="token"/>; a tenant it creates is approved by its administrator at once.</summary>
    public CallInvoker Invoker(string? token) => Unapproved(token).Intercept(_approval);

    /// <summary>Calls as a partner; its tenant claims wait for an administrator like in production.</summary>
    public CallInvoker Unapproved(string? token) => token is null
        ? _channel.CreateCallInvoker()
        : _channel.Intercept(metadata =>
        {
            metadata.Add("authorization", "Bearer " + token);
            return metadata;
        });

    public async Task StopAsync() => await _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
