using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Telemetry.Tests.Prometheus;

/// <summary>
/// A real Prometheus (Debian's binary) of its own: its own configuration and data folder in a temporary directory, a
/// free loopback port, scraping one host's <c>/metrics</c> every second and evaluating the shipped alert rules every
/// second. Queries go through its HTTP API, as Grafana's do.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    /// <summary>The scrape job's name: what <c>$job</c> is in the dashboard and the alert rules' tests.</summary>
    public const string Job = "raorchestrator";

    /// <summary>The environment label the scrape adds, as an operator's scrape configuration (or the collector) does.</summary>
    public const string Environment = "prometheus-test";

    private readonly Process _process;
    private readonly string _folder;
    private readonly ConcurrentQueue<string> _output = new();

    private PrometheusServer(Process process, string folder, Uri address)
    {
        _process = process;
        _folder = folder;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    /// <summary>The target's <c>instance</c> label.</summary>
    public string Instance { get; private init; } = string.Empty;

    public string Output => string.Join(System.Environment.NewLine, _output);

    public static async Task<PrometheusServer> StartAsync(int metricsPort, string ruleFile)
    {
        var folder = System.IO.Directory.CreateTempSubdirectory("raorchestrator-prometheus-").FullName;
        var port = FreePort.Next();
        var instance = $"127.0.0.1:{metricsPort}";
        var config = $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            rule_files:
              - {ruleFile}
            scrape_configs:
              - job_name: {Job}
                metrics_path: /metrics
                static_configs:
                  - targets: ["{instance}"]
                    labels:
                      deployment_environment: {Environment}
            """;
        var configFile = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(configFile, config);

        var start = new ProcessStartInfo(PrometheusTools.Prometheus) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "--config.file=" + configFile, "--storage.tsdb.path=" + Path.Combine(folder, "data"),
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start.");
        var server = new PrometheusServer(process, folder, new Uri($"http://127.0.0.1:{port}/")) { Instance = instance };
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>An instant query at now; throws with Prometheus' own error when the expression does not parse or evaluate.</summary>
    public async Task<JsonArray> QueryAsync(string expression)
    {
        var time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000d;
        using var response = await Http.PostAsync("api/v1/query", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["query"] = expression,
            ["time"] = time.ToString("F3", CultureInfo.InvariantCulture),
        }));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if ((string?)body["status"] != "success")
        {
            throw new InvalidOperationException($"Prometheus refused '{expression}': {body["errorType"]}: {body["error"]}");
        }

        return body["data"]!["result"]!.AsArray();
    }

    /// <summary>The rule groups Prometheus loaded, with each rule's health and last error.</summary>
    public async Task<JsonArray> RulesAsync()
    {
        var body = JsonNode.Parse(await Http.GetStringAsync("api/v1/rules"))!;
        return body["data"]!["groups"]!.AsArray();
    }

    /// <summary>Waits for this many successful scrapes of the target after now, so what a query reads is current.</summary>
    public async Task WaitForScrapesAsync(int scrapes, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        var first = await ScrapeCountAsync();
        while (await ScrapeCountAsync() < first + scrapes)
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"Prometheus did not scrape {scrapes} times within {timeout}:{System.Environment.NewLine}{Output}");
            }

            await Task.Delay(250);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temporary folder is left behind.
        }
    }

    private async Task<double> ScrapeCountAsync()
    {
        var result = await QueryAsync($"count_over_time(up{{job=\"{Job}\"}}[1h])");
        return result.Count == 0 ? 0 : double.Parse((string)result[0]!["value"]![1]!, CultureInfo.InvariantCulture);
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with code {_process.ExitCode}:{System.Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await Http.GetAsync("-/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"prometheus was not ready within {timeout}:{System.Environment.NewLine}{Output}");
            }

            await Task.Delay(100);
        }
    }

    private void Keep(string? line)
    {
        if (line is not null && _output.Count < 500)
        {
            _output.Enqueue(line);
        }
    }
}
