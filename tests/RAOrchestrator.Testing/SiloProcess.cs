using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace RAOrchestrator.Testing;

/// <summary>
/// The server (the built RAOrchestrator.Server.dll) as a separate OS process: a silo and its gRPC API. It can be
/// killed with SIGKILL the way a crash would, or asked to shut down with SIGTERM the way an orchestrator does.
/// Its console output is kept, so a test can see which process served what.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private SiloProcess(Process process, int apiPort)
    {
        _process = process;
        ApiPort = apiPort;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int ApiPort { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Console lines so far (the newest 20,000).</summary>
    public IReadOnlyCollection<string> Output => _output;

    /// <summary>Starts the server with these settings (as environment variables) and waits until its API accepts connections.</summary>
    public static async Task<SiloProcess> StartAsync(IDictionary<string, string?> settings, int apiPort, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ServerDll());
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? string.Empty;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The server process did not start.");
        var silo = new SiloProcess(process, apiPort);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server process exited with code {process.ExitCode}:{Environment.NewLine}{string.Join(Environment.NewLine, silo.Output.TakeLast(30))}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", apiPort);
                return silo;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, the silo just disappears.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the host stops cleanly (the silo leaves the cluster, its grains deactivate); killed after <paramref name="grace"/>.</summary>
    public async Task TerminateAsync(TimeSpan grace)
    {
        if (!_process.HasExited && Signals.Terminate(_process.Id))
        {
            using var timeout = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Killed below.
            }
        }

        await KillAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 20_000 && _output.TryDequeue(out _))
        {
        }
    }

    /// <summary>The server built in the same configuration as the caller.</summary>
    private static string ServerDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var dll = Path.Combine(RepoPaths.Root, "src", "RAOrchestrator.Server", "bin", configuration, "net10.0", "RAOrchestrator.Server.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing; build the solution ({configuration}) first.");
    }
}
