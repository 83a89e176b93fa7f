using System.Diagnostics;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Server.Tests.Infrastructure;

/// <summary>
/// The server as a separate OS process (the built RAOrchestrator.Server.dll), so a test can kill it with SIGKILL
/// mid-work the way a crash would, and start another on the same storage and ports.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly GrpcChannel _channel;

    private ServerProcess(Process process, int apiPort)
    {
        _process = process;
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{apiPort}");
    }

    public static async Task<ServerProcess> StartAsync(IDictionary<string, string?> settings, int apiPort)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ServerDll());
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? string.Empty;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The server process did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server process exited with code {process.ExitCode}.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", apiPort);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }

        return new ServerProcess(process, apiPort);
    }

    public TenantService.TenantServiceClient Tenants(string token) => new(Invoker(token));

    public OperationService.OperationServiceClient Operations(string token) => new(Invoker(token));

    public ServiceAccountService.ServiceAccountServiceClient ServiceAccounts(string token) => new(Invoker(token));

    public SessionService.SessionServiceClient Sessions(string token) => new(Invoker(token));

    /// <summary>SIGKILL: no shutdown, no flush, the silo just disappears.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private CallInvoker Invoker(string token) => _channel.Intercept(metadata =>
    {
        metadata.Add("authorization", "Bearer " + token);
        return metadata;
    });

    /// <summary>The server built in the same configuration as these tests.</summary>
    private static string ServerDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(Testing.RepoPaths.Root, "src", "RAOrchestrator.Server", "bin", configuration, "net10.0", "RAOrchestrator.Server.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing; build the solution first.");
    }
}
