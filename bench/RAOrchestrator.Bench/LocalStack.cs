using System.Security.Claims;
using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.Server;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Bench;

/// <summary>
/// Azurite, the Graph emulator and the real host on loopback, with a partner channel whose tenant claims the tenant's
/// administrator approves at once (<see cref="AutoApproval"/>): what the API benchmarks drive.
/// </summary>
public sealed class LocalStack : IAsyncDisposable
{
    private const string Issuer = "https://bench.local/v2.0";

    private LocalStack(AzuriteProcess azurite, GraphEmulatorServer emulator, WebApplication app, GrpcChannel channel, CallInvoker invoker, Uri apiAddress, string token)
    {
        Azurite = azurite;
        Emulator = emulator;
        App = app;
        Channel = channel;
        Invoker = invoker;
        ApiAddress = apiAddress;
        Token = token;
    }

    public AzuriteProcess Azurite { get; }
    public GraphEmulatorServer Emulator { get; }
    public WebApplication App { get; }
    public GrpcChannel Channel { get; }
    public CallInvoker Invoker { get; }

    /// <summary>The gRPC endpoint (plaintext HTTP/2 on loopback).</summary>
    public Uri ApiAddress { get; }

    /// <summary>A partner token (partner <c>bench-partner</c>, role Write) valid for two hours, for callers in other processes.</summary>
    public string Token { get; }

    /// <param name="seed">Fills the emulator before the host starts.</param>
    /// <param name="overrides">Host settings that replace the test defaults.</param>
    /// <param name="map">Maps more endpoints into the host after <see cref="ServerApp.Build"/> and before it starts (bench-only services).</param>
    /// <param name="lastWord">
    /// Changes the host's services after every registration the host made, just before its container is built (a
    /// registration added here wins over the host's own): for a benchmark that must replace a provider.
    /// </param>
    public static async Task<LocalStack> StartAsync(Func<GraphEmulatorServer, Task>? seed = null, Action<WebApplication>? map = null, Action<IServiceCollection>? lastWord = null, IDictionary<string, string?>? overrides = null)
    {
        var azurite = await AzuriteProcess.StartAsync();
        var emulator = await TestEmulator.StartAsync();
        if (seed is not null)
        {
            await seed(emulator);
        }

        var key = RandomNumberGenerator.GetBytes(32);
        var apiPort = FreePort.Next();
        var settings = TestServerSettings.For(azurite.ConnectionString, emulator, "bench", apiPort, FreePort.Next(), FreePort.Next(), FreePort.Next(), Issuer, Convert.ToBase64String(key));
        settings["Api:MaxReceiveMessageBytes"] = (16 * 1024 * 1024).ToString();
        foreach (var (name, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[name] = value;
        }

        var app = ServerApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            if (lastWord is not null)
            {
                builder.Host.UseServiceProviderFactory(new LastWordServiceProviderFactory(lastWord));
            }
        });
        map?.Invoke(app);
        await app.StartAsync();
        var apiAddress = new Uri($"http://127.0.0.1:{apiPort}");
        var channel = GrpcChannel.ForAddress(apiAddress, new GrpcChannelOptions { MaxSendMessageSize = 16 * 1024 * 1024 });
        var token = CreateToken(key);
        // CreateTenant is a claim its administrator approves: the emulator's administrator approves every link the bench is answered.
        var invoker = channel.Intercept(new AutoApproval(emulator)).Intercept(m =>
        {
            m.Add("authorization", "Bearer " + token);
            return m;
        });
        return new LocalStack(azurite, emulator, app, channel, invoker, apiAddress, token);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Emulator.DisposeAsync();
        await Azurite.DisposeAsync();
    }

    private static string CreateToken(byte[] key) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = "api://raorchestrator",
        Subject = new ClaimsIdentity([new Claim("partner_id", "bench-partner"), new Claim("roles", "RAOrchestrator.Write")]),
        Expires = DateTime.UtcNow.AddHours(2),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
    });
}

/// <summary>The default container, built after <paramref name="lastWord"/> has changed the final service collection.</summary>
internal sealed class LastWordServiceProviderFactory(Action<IServiceCollection> lastWord) : IServiceProviderFactory<IServiceCollection>
{
    public IServiceCollection CreateBuilder(IServiceCollection services) => services;

    public IServiceProvider CreateServiceProvider(IServiceCollection containerBuilder)
    {
        lastWord(containerBuilder);
        return containerBuilder.BuildServiceProvider();
    }
}
