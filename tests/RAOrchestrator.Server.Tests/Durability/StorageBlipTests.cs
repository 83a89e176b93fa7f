using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// Readiness through a storage blip: while Azure Storage (the host's own Azurite) has been away for less than
/// Health:StorageGrace the silo stays ready and the storage-health gauge reports the outage; once it has been away
/// for longer, readiness turns false.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed partial class StorageBlipTests(ServerFixture fixture)
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_storage_outage_shorter_than_the_grace_keeps_the_silo_ready_and_reports_storage_unhealthy_a_longer_one_makes_it_not_ready()
    {
        await using var azurite = await AzuriteProcess.StartAsync(persistent: true);
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "None", // the outage makes Orleans and the probes log failures by design
            ["Health:StorageGrace"] = "00:00:04",
            ["Health:StorageProbeInterval"] = "00:00:01",
            ["Telemetry:PrometheusEndpoint"] = "true",
        };
        await using var server = await ServerInstance.StartAsync(azurite, fixture.Emulator, fixture.Tokens, "blip-" + Guid.NewGuid().ToString("N")[..8], settings);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.ManagementPort}") };
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await ReadinessAsync(http));
        await WaitUntilAsync(async () => await StorageHealthyAsync(http) is [_, ..] values && values.All(v => v == 1), "the storage gauge never reported healthy");

        // Within the grace the silo stays ready (Degraded) while the gauge says storage is unhealthy; past it, not ready.
        await azurite.StopAsync();
        var outage = Stopwatch.StartNew();
        var answers = new List<(TimeSpan At, HttpStatusCode Status, string Body, int[] Gauge)>();
        await WaitUntilAsync(async () =>
        {
            var (status, body) = await ReadinessAsync(http);
            answers.Add((outage.Elapsed, status, body, await StorageHealthyAsync(http)));
            return status == HttpStatusCode.ServiceUnavailable;
        }, "readiness never failed");

        var within = answers[..^1];
        Assert.NotEmpty(within);
        Assert.All(within, a => Assert.Equal((HttpStatusCode.OK, "Degraded"), (a.Status, a.Body)));
        Assert.All(within, a => Assert.Contains(0, a.Gauge));
        Assert.True(answers[^1].At >= Grace, $"readiness failed after {answers[^1].At}, within the grace");

        // Storage back before the host stops: a silo leaving the cluster writes its membership row.
        await azurite.RestartAsync();
        await WaitUntilAsync(async () => (await ReadinessAsync(http)).Status == HttpStatusCode.OK, "readiness never recovered");
    }

    private static async Task<(HttpStatusCode Status, string Body)> ReadinessAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/health/ready");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// The gauge's values in this host's /metrics. Other hosts of this test process (the collection's) may show theirs
    /// too, since meters are process-wide: the assertions say "one of them is 0" during the outage and "all are 1" after.
    /// </summary>
    private static async Task<int[]> StorageHealthyAsync(HttpClient http) =>
        Gauge().Matches(await http.GetStringAsync("/metrics")).Select(m => int.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)).ToArray();

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < Limit, failure);
            await Task.Delay(250);
        }
    }

    [GeneratedRegex(@"^raorchestrator_storage_healthy(\{[^}]*\})? (?<value>\d+)", RegexOptions.Multiline)]
    private static partial Regex Gauge();
}
