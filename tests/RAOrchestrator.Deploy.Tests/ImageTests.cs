using System.Text.RegularExpressions;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Deploy.Tests;

/// <summary>
/// The Dockerfiles, read as text: multi-stage, non-root, a health check on the right port. The images themselves are
/// built and run as a cluster by scripts/containers/cluster-test.sh (the end of scripts/test.sh).
/// </summary>
public sealed partial class ImageTests
{
    private static string Dockerfile(string name) => File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", name));

    [Theory]
    [InlineData("server.Dockerfile")]
    [InlineData("emulator.Dockerfile")]
    public void Images_build_with_the_sdk_or_from_a_publish_output_and_run_on_the_runtime_as_a_non_root_user(string name)
    {
        var dockerfile = Dockerfile(name);
        var stages = FromLine().Matches(dockerfile).Select(m => m.Groups["image"].Value).ToArray();

        Assert.Equal(["${SDK_IMAGE}", "scratch", "${APP_FROM}", "${RUNTIME_IMAGE}"], stages);
        Assert.Contains("ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-alpine", dockerfile, StringComparison.Ordinal);
        Assert.Contains("ARG APP_FROM=build\n", dockerfile, StringComparison.Ordinal);
        Assert.Contains("COPY --from=app --chown=root:root /app ./", dockerfile, StringComparison.Ordinal);
        Assert.Matches(UserLine(), dockerfile);
        Assert.Contains("HEALTHCHECK", dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void The_server_checks_its_readiness_on_the_management_port_it_listens_on()
    {
        var dockerfile = Dockerfile("server.Dockerfile");
        var management = ManagementPort().Match(dockerfile).Groups["port"].Value;

        // The port comes from Api__ManagementUrl (the image's default or the operator's).
        Assert.Contains("port=\"${Api__ManagementUrl##*:}\"; wget -q -O /dev/null \"http://127.0.0.1:${port%%/*}/health/ready\"", dockerfile, StringComparison.Ordinal);
        Assert.Contains($"EXPOSE 5080 {management} 5082 11111\n", dockerfile, StringComparison.Ordinal);
        // No Orleans gateway is configured or exposed by the image (only comments mention it).
        Assert.DoesNotContain(dockerfile.Split('\n').Where(l => !l.TrimStart().StartsWith('#')), l => l.Contains("Gateway", StringComparison.Ordinal) || l.Contains("30000", StringComparison.Ordinal));
    }

    [Fact]
    public void The_build_context_leaves_out_build_output_local_data_and_tests()
    {
        var ignored = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".dockerignore")).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(new HashSet<string>(StringComparer.Ordinal) { "**/bin/", "**/obj/", "node_modules/", ".data/", ".git/", "tests/" }, ignored);
    }

    [GeneratedRegex(@"^FROM (?<image>\S+) AS \w+$", RegexOptions.Multiline)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"^USER \$APP_UID$", RegexOptions.Multiline)]
    private static partial Regex UserLine();

    [GeneratedRegex(@"Api__ManagementUrl=http://0\.0\.0\.0:(?<port>\d+)")]
    private static partial Regex ManagementPort();
}
