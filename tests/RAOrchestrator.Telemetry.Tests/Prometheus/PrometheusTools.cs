using System.Diagnostics;

namespace RAOrchestrator.Telemetry.Tests.Prometheus;

/// <summary>
/// Debian's <c>prometheus</c> and <c>promtool</c> (package <c>prometheus</c>, 2.42), found on the PATH. scripts/test.sh
/// installs the package when they are missing; a test run without them fails saying so instead of skipping.
/// </summary>
public static class PrometheusTools
{
    public static string Prometheus => Find("prometheus");

    public static string Promtool => Find("promtool");

    /// <summary>Runs promtool with these arguments; its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunPromtoolAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Promtool) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Find(string name)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
        return path ?? throw new InvalidOperationException(
            $"'{name}' is not installed. It comes with Debian's prometheus package: run scripts/test.sh (which installs it when missing) or apt-get install -y --no-install-recommends prometheus.");
    }
}
