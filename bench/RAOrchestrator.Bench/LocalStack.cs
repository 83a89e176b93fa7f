using System.Security.Claims;
using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.Server;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Bench;

/// <summary>Azurite, the Graph emulator and the real host on loopback, with a partner channel: what the API benchmarks drive.</summary>
public sealed class LocalStack : IAsyncDisposable
{
    private const string Issuer = "https://bench.local/v2.0";

    private LocalStack(AzuriteProcess azurite, GraphEmulatorServer emulator, WebApplication app, GrpcChannel channel, CallInvoker invoker)
    {
        Azurite = azurite;
        Emulator = emulator;
        App = app;
        Channel = channel;
        Invoker = invoker;
    }

    public AzuriteProcess Azurite { get; }
    public GraphEmulatorServer Emulator { get; }
    public WebApplication App { get; }
    public GrpcChannel Channel { get; }
    public CallInvoker Invoker { get; }

    public static async Task<LocalStack> StartAsync(Func<GraphEmulatorServer, Task>? seed = null, IDictionary<string, string?>? overrides = null)
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

        var app = ServerApp.Build([], builder => builder.Configuration.AddInMemoryCollection(settings));
        await app.StartAsync();
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{apiPort}", new GrpcChannelOptions { MaxSendMessageSize = 16 * 1024 * 1024 });
        var token = Token(key);
        var invoker = channel.Intercept(m =>
        {
            m.Add("authorization", "Bearer " + token);
            return m;
        });
        return new LocalStack(azurite, emulator, app, channel, invoker);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Emulator.DisposeAsync();
        await Azurite.DisposeAsync();
    }

    private static string Token(byte[] key) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = "api://raorchestrator",
        Subject = new ClaimsIdentity([new Claim("partner_id", "bench-partner"), new Claim("roles", "RAOrchestrator.Write")]),
        Expires = DateTime.UtcNow.AddHours(2),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
    });
}
