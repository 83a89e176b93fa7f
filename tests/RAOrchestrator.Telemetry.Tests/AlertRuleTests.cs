using RAOrchestrator.Telemetry.Tests.Infrastructure;
using RAOrchestrator.Telemetry.Tests.Prometheus;

namespace RAOrchestrator.Telemetry.Tests;

/// <summary>
/// The shipped alert rules (deploy/prometheus/alerts.yml) as Prometheus' own tools see them: promtool checks the file
/// and runs the unit tests of every rule (alerts.test.yml); a real Prometheus scraping a running host loads them and
/// evaluates every expression without an error.
/// </summary>
[Collection(ExportedTelemetryCollection.Name)]
public sealed partial class AlertRuleTests(ExportedTelemetryFixture fixture)
{
    [Fact]
    public async Task Promtool_accepts_the_rule_file()
    {
        var (exitCode, output) = await PrometheusTools.RunPromtoolAsync("check", "rules", AlertRuleFiles.Rules);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Every_rule_passes_its_promtool_unit_tests()
    {
        var (exitCode, output) = await PrometheusTools.RunPromtoolAsync("test", "rules", AlertRuleFiles.Tests);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Every_rule_has_a_unit_test_that_fires_it()
    {
        var rules = await File.ReadAllTextAsync(AlertRuleFiles.Rules);
        var tests = await File.ReadAllTextAsync(AlertRuleFiles.Tests);
        var alerts = AlertNames().Matches(rules).Select(m => m.Groups["name"].Value).ToArray();
        var firedInTests = FiredAlerts().Matches(tests).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(alerts);
        Assert.Equal([], alerts.Where(a => !firedInTests.Contains(a)).ToArray());
    }

    [Fact]
    public async Task Every_rule_evaluates_without_error_on_a_Prometheus_scraping_the_host()
    {
        var rules = (await fixture.Prometheus.RulesAsync()).SelectMany(g => g!["rules"]!.AsArray()).ToArray();
        var problems = new List<string>();
        foreach (var rule in rules)
        {
            var name = (string)rule!["name"]!;
            if ((string?)rule["health"] != "ok")
            {
                problems.Add($"{name}: health {rule["health"]}, {rule["lastError"]}");
            }

            try
            {
                await fixture.Prometheus.QueryAsync((string)rule["query"]!);
            }
            catch (InvalidOperationException ex)
            {
                problems.Add($"{name}: {ex.Message}");
            }
        }

        Assert.Equal(7, rules.Length);
        Assert.Empty(problems);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*- alert: (?<name>\S+)", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex AlertNames();

    [System.Text.RegularExpressions.GeneratedRegex(@"alertname: (?<name>\S+)\s+exp_alerts:\s*\n\s*- exp_labels")]
    private static partial System.Text.RegularExpressions.Regex FiredAlerts();
}
