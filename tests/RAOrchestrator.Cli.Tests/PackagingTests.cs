using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using RAOrchestrator.Testing;
using Xunit.Abstractions;

namespace RAOrchestrator.Cli.Tests;

/// <summary>
/// The three packages as they would be published: packed (from the build the tests run on) into a folder feed, their
/// metadata read back, and raorch installed from that feed as a .NET tool and run.
/// </summary>
public sealed class PackagingTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Packages = ["RAOrchestrator.Contracts", "RAOrchestrator.Client", "RAOrchestrator.Cli"];
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("raorch-packages-").FullName;

    [Fact]
    public async Task Contracts_client_and_raorch_pack_with_licence_readme_repository_and_one_version_and_raorch_installs_as_a_tool_from_the_feed()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var feed = Path.Combine(_dir, "feed");
        var clock = Stopwatch.StartNew();
        foreach (var package in Packages)
        {
            await RunAsync("dotnet", "pack", Path.Combine(RepoPaths.Root, "src", package), "-c", configuration, "--no-build", "--nologo", "-v", "q", "-o", feed);
        }

        var packed = clock.Elapsed;
        var versions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var package in Packages)
        {
            var nupkg = Assert.Single(System.IO.Directory.GetFiles(feed, package + ".*.nupkg"));
            using var zip = ZipFile.OpenRead(nupkg);
            Assert.NotNull(zip.GetEntry("README.md"));
            using var nuspec = zip.GetEntry(package + ".nuspec")!.Open();
            var metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
            Assert.Equal((package, "MIT", "README.md"), (Value("id"), Value("license"), Value("readme")));
            Assert.StartsWith("https://", metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("url")!.Value, StringComparison.Ordinal);
            versions.Add(Value("version")!);
        }

        var version = Assert.Single(versions);
        var tools = Path.Combine(_dir, "tools");
        await RunAsync("dotnet", "tool", "install", "--tool-path", tools, "--add-source", feed, "RAOrchestrator.Cli", "--version", version);
        var raorch = Path.Combine(tools, "raorch");
        var (_, printed) = await RunAsync(raorch, "--version");
        var (_, help) = await RunAsync(raorch, "--help");

        output.WriteLine($"packed {Packages.Length} packages in {packed.TotalSeconds:F1} s; installed and ran raorch {clock.Elapsed.TotalSeconds:F1} s after the start");
        Assert.StartsWith(version, printed.Trim(), StringComparison.Ordinal);
        Assert.Contains("raorch: onboard and run Remote Assist tenants", help, StringComparison.Ordinal);
        Assert.Contains("dns:///host:port", help, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The installed tool runs on this machine's dotnet, as a user's would.
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)}: exit {process.ExitCode}\n{await stdout}\n{await stderr}");
        return (process.ExitCode, await stdout);
    }
}
