using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace RAOrchestrator.Bench.JoinAdmit;

/// <summary>
/// This benchmark program started again in another role, optionally pinned to one core with <c>taskset</c>. It talks
/// in JSON lines: the child writes <c>@ready {...}</c> once and <c>@result {"id": n, ...}</c> for each command
/// <c>{"id": n, "cmd": ...}</c> it is sent on its standard input (in any order: a <c>stats</c> command is answered
/// while a load runs), or <c>{"id": n, "error": ...}</c> when the command failed; every other line it writes is passed
/// on to this process's standard error.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Dictionary<int, TaskCompletionSource<JsonObject>> _waiting = [];
    private readonly TaskCompletionSource<JsonObject> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _lastId;

    private ChildProcess(Process process, string name)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _ready.TrySetException(new InvalidOperationException($"{name} exited before it was ready."));
                lock (_waiting)
                {
                    foreach (var w in _waiting.Values)
                    {
                        w.TrySetException(new InvalidOperationException($"{name} exited."));
                    }
                }

                return;
            }

            if (e.Data.StartsWith("@ready ", StringComparison.Ordinal))
            {
                _ready.TrySetResult(JsonNode.Parse(e.Data[7..])!.AsObject());
            }
            else if (e.Data.StartsWith("@result ", StringComparison.Ordinal))
            {
                var result = JsonNode.Parse(e.Data[8..])!.AsObject();
                lock (_waiting)
                {
                    _waiting.Remove((int)result["id"]!, out var waiter);
                    if (result["error"] is { } error)
                    {
                        waiter!.TrySetException(new InvalidOperationException($"{name} failed a command: {error}"));
                    }
                    else
                    {
                        waiter!.TrySetResult(result);
                    }
                }
            }
            else
            {
                Console.Error.WriteLine($"[{name}] {e.Data}");
            }
        };
        _process.BeginOutputReadLine();
    }

    /// <summary>How results travel: NaN (no latency recorded) is allowed.</summary>
    public static JsonSerializerOptions Json { get; } = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public int Pid => _process.Id;

    /// <summary>Whether <c>taskset</c> is on the PATH (util-linux).</summary>
    public static bool CanPin { get; } = Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(d => File.Exists(Path.Combine(d, "taskset")));

    /// <summary>Moves a running process and all its threads to <paramref name="core"/> (taskset).</summary>
    public static void Pin(int pid, int core)
    {
        using var taskset = Process.Start(new ProcessStartInfo("taskset", ["-a", "-p", "-c", core.ToString(CultureInfo.InvariantCulture), pid.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        taskset.WaitForExit();
        if (taskset.ExitCode != 0)
        {
            throw new InvalidOperationException($"taskset could not pin process {pid} to core {core}");
        }
    }

    /// <summary>Starts this program with <paramref name="arguments"/>, on <paramref name="core"/> only when it is set.</summary>
    public static ChildProcess Start(string name, int? core, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var self = SelfCommand();
        var start = new ProcessStartInfo(core is null ? self[0] : "taskset")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (core is not null)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(core.Value.ToString());
            start.ArgumentList.Add(self[0]);
        }

        foreach (var a in self.Skip(1).Concat(arguments))
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start."), name);
    }

    /// <summary>How to run this program again: its app host, or <c>dotnet</c> and its assembly.</summary>
    public static string[] SelfCommand()
    {
        var host = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, typeof(ChildProcess).Assembly.Location] : [host];
    }

    public Task<JsonObject> ReadyAsync() => _ready.Task;

    /// <summary>Sends a command (an object with a <c>cmd</c>) and waits for its result.</summary>
    public Task<JsonObject> AskAsync(object command)
    {
        var waiter = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        var message = JsonSerializer.SerializeToNode(command, Json)!.AsObject();
        lock (_waiting)
        {
            var id = ++_lastId;
            message["id"] = id;
            _waiting[id] = waiter;
            _process.StandardInput.WriteLine(message.ToJsonString(Json));
            _process.StandardInput.Flush();
        }

        return waiter.Task;
    }

    /// <summary>The child's side: reads commands until standard input closes, answering each with what <paramref name="handle"/> returns; handlers run concurrently.</summary>
    public static async Task ServeAsync(Func<JsonObject, Task<object>> handle)
    {
        var running = new List<Task>();
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var command = JsonNode.Parse(line)!.AsObject();
            running.Add(Task.Run(async () =>
            {
                JsonObject result;
                try
                {
                    result = JsonSerializer.SerializeToNode(await handle(command), Json)!.AsObject();
                }
                catch (Exception ex)
                {
                    // Answered, so the asking side fails instead of waiting for ever.
                    result = new JsonObject { ["error"] = $"{ex.GetType().Name}: {ex.Message}" };
                }

                result["id"] = (int)command["id"]!;
                Report("result", result);
            }));
        }

        await Task.WhenAll(running);
    }

    /// <summary>What the runtime of this process has done so far: allocations, collections, pauses, thread pool.</summary>
    public static object RuntimeStats() => new
    {
        allocated = GC.GetTotalAllocatedBytes(precise: false),
        gen0 = GC.CollectionCount(0),
        gen1 = GC.CollectionCount(1),
        gen2 = GC.CollectionCount(2),
        pauseMs = GC.GetTotalPauseDuration().TotalMilliseconds,
        threads = ThreadPool.ThreadCount,
        pending = ThreadPool.PendingWorkItemCount,
        jitMs = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds,
    };

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    /// <summary>The child's side: report readiness or a result on standard output.</summary>
    public static void Report(string kind, object value)
    {
        var line = $"@{kind} {JsonSerializer.Serialize(value, Json)}";
        lock (Json)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }
}
