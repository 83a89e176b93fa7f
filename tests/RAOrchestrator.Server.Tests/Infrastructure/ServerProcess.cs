using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Server.Tests.Infrastructure;

/// <summary>
/// The server as a separate OS process (<see cref="SiloProcess"/>) with a channel to its API, so a test can kill it
/// with SIGKILL mid-work the way a crash would, and start another on the same storage and ports.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly AutoApproval _approval;

    private ServerProcess(SiloProcess process, GraphEmulator.GraphEmulatorServer emulator)
    {
        Process = process;
        _approval = new AutoApproval(emulator);
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{process.ApiPort}");
    }

    public SiloProcess Process { get; }

    /// <summary>A tenant created through this process's channel is approved by its administrator at once (<see cref="AutoApproval"/>).</summary>
    public static async Task<ServerProcess> StartAsync(IDictionary<string, string?> settings, int apiPort, GraphEmulator.GraphEmulatorServer emulator) =>
        new(await SiloProcess.StartAsync(settings, apiPort), emulator);

    public TenantService.TenantServiceClient Tenants(string token) => new(Invoker(token));

    public OperationService.OperationServiceClient Operations(string token) => new(Invoker(token));

    public ServiceAccountService.ServiceAccountServiceClient ServiceAccounts(string token) => new(Invoker(token));

    public SessionService.SessionServiceClient Sessions(string token) => new(Invoker(token));

    /// <summary>SIGKILL: no shutdown, no flush, the silo just disappears.</summary>
    public Task KillAsync() => Process.KillAsync();

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await Process.DisposeAsync();
    }

    private CallInvoker Invoker(string token) => _channel.Intercept(metadata =>
    {
        metadata.Add("authorization", "Bearer " + token);
        return metadata;
    }).Intercept(_approval);
}
