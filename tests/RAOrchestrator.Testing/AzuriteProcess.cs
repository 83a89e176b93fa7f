using System.Diagnostics;
using System.Net.Sockets;

namespace RAOrchestrator.Testing;

/// <summary>
/// A real Azurite (the repo's pinned npm package) on free loopback ports, in memory, for one test run.
/// Stopping it (<see cref="StopAsync"/>) and starting it again on the same ports is how tests cut storage off.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    public const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _workDir = Directory.CreateTempSubdirectory("azurite-").FullName;
    private readonly bool _persistent;
    private Process? _process;

    private AzuriteProcess(bool persistent)
    {
        _persistent = persistent;
        BlobPort = FreePort.Next();
        QueuePort = FreePort.Next();
        TablePort = FreePort.Next();
    }

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    /// <summary>The running Azurite (node) process, if any.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    /// <param name="persistent">Keep data on disk (in a temp folder) so it survives <see cref="StopAsync"/> and <see cref="RestartAsync"/>, as real storage does after an outage.</param>
    public static async Task<AzuriteProcess> StartAsync(bool persistent = false)
    {
        var azurite = new AzuriteProcess(persistent);
        await azurite.RestartAsync();
        return azurite;
    }

    /// <summary>Starts Azurite (again) on the same ports. In-memory data does not survive a stop; persistent data does.</summary>
    public async Task RestartAsync()
    {
        var executable = Path.Combine(RepoPaths.Root, "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} is missing: run 'npm ci' in {RepoPaths.Root} (the test script does).");
        }

        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = _workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(),
            "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(),
        })
        {
            start.ArgumentList.Add(arg);
        }

        if (_persistent)
        {
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(Path.Combine(_workDir, "data"));
        }
        else
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitForPortAsync(TablePort);
        await WaitForPortAsync(BlobPort);
    }

    /// <summary>
    /// Stops Azurite the way a storage service goes away without losing what it acknowledged: SIGTERM, so an on-disk
    /// Azurite saves its database (it persists every 5 s otherwise, and SIGKILL drops up to 5 s of acknowledged
    /// writes: grain state and membership rows whose etags the host still holds). Killed if it does not exit in 10 s.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            if (Signals.Terminate(_process.Id))
            {
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    // Fall through to the kill.
                }
            }

            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process is { HasExited: true })
            {
                throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode}.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
