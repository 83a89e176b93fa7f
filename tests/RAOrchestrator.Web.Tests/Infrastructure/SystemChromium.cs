namespace RAOrchestrator.Web.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, the browser these tests drive (Playwright's own browser download is never used: only the
/// package registries are reachable). Missing, it fails the tests with how to install it, rather than skipping them.
/// </summary>
public static class SystemChromium
{
    public const string InstallCommand = "sudo apt-get install -y chromium";

    /// <summary>The <c>chromium</c> that <c>which chromium</c> finds on PATH (or on <paramref name="searchPath"/>).</summary>
    public static string Path(string? searchPath = null)
    {
        var found = (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, "chromium"))
            .FirstOrDefault(File.Exists);
        return found ?? throw new InvalidOperationException(
            $"Chromium is not installed, and the browser tests drive Debian's Chromium. Install it with `{InstallCommand}` " +
            "(scripts/test.sh does this when it is missing), then run the tests again.");
    }
}
