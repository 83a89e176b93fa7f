using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// Readiness through a storage blip: Azure Storage (the host's own Azurite, on disk) goes away for less than
/// Health:StorageGrace and the silo stays ready while the storage-health gauge reports the outage; away for longer,
/// readiness turns false, and both come back with storage.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed partial class StorageBlipTests(ServerFixture fixture)
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_blip_shorter_than_the_grace_keeps_the_silo_ready_and_reports_storage_unhealthy_a_longer_outage_makes_it_not_ready()
    {
        await using var azurite = await AzuriteProcess.StartAsync(persistent: true);
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "None", // the outage makes Orleans and the probes log failures by design
            ["Health:StorageGrace"] = "00:00:06",
            ["Health:StorageProbeInterval"] = "00:00:01",
            ["Telemetry:PrometheusEndpoint"] = "true",
        };
        await using var server = await ServerInstance.StartAsync(azurite, fixture.Emulator, fixture.Tokens, "blip-" + Guid.NewGuid().ToString("N")[..8], settings);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.ManagementPort}") };
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await ReadinessAsync(http));
        await WaitUntilAsync(async () => await StorageHealthyAsync(http) is [_, ..] values && values.All(v => v == 1), "the storage gauge never reported healthy");

        // A blip: within the grace the silo stays ready (Degraded) and the gauge says storage is unhealthy.
        await azurite.StopAsync();
        var blip = Stopwatch.StartNew();
        Assert.Equal((HttpStatusCode.OK, "Degraded"), await ReadinessAsync(http));
        Assert.Contains(0, await StorageHealthyAsync(http));
        Assert.True(blip.Elapsed < Grace, $"the blip lasted {blip.Elapsed}, longer than the grace");
        await azurite.RestartAsync();
        await WaitUntilAsync(async () => await ReadinessAsync(http) == (HttpStatusCode.OK, "Healthy"), "readiness never became Healthy again");
        Assert.All(await StorageHealthyAsync(http), v => Assert.Equal(1, v));

        // An outage: ready until the grace has passed, then not ready.
        await azurite.StopAsync();
        var outage = Stopwatch.StartNew();
        var answers = new List<(TimeSpan At, HttpStatusCode Status)>();
        await WaitUntilAsync(async () =>
        {
            answers.Add((outage.Elapsed, (await ReadinessAsync(http)).Status));
            return answers[^1].Status == HttpStatusCode.ServiceUnavailable;
        }, "readiness never failed");
        Assert.True(answers[^1].At >= Grace, $"readiness failed after {answers[^1].At}, within the grace");
        Assert.All(answers[..^1], a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Contains(0, await StorageHealthyAsync(http));

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
