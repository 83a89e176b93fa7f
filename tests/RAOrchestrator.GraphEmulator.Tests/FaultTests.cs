using System.Text.Json.Nodes;

namespace RAOrchestrator.GraphEmulator.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task With_100_percent_503_every_request_gets_503_with_an_odata_body()
    {
        await using var server = await GraphEmulatorServer.StartAsync(TestData.Options());
        using var http = await BatchTests.AuthorizedClient(server);
        using var admin = server.CreateHttpClient();
        (await admin.PutAsync("_emulator/faults", BatchTests.Json(new JsonObject { ["serviceUnavailableRate"] = 1.0 }))).EnsureSuccessStatusCode();

        foreach (var path in new[] { "v1.0/users", "v1.0/organization", "v1.0/subscribedSkus" })
        {
            var r = await http.GetAsync(path);
            Assert.Equal(503, (int)r.StatusCode);
            var error = JsonNode.Parse(await r.Content.ReadAsStringAsync())!["error"]!;
            Assert.NotNull((string?)error["code"]);
            Assert.NotNull((string?)error["message"]);
            Assert.NotNull((string?)error["innerError"]!["request-id"]);
        }
        Assert.Equal(3, server.State.Counters.ForTenant(TestData.TenantA).FaultsInjected);
    }

    [Fact]
    public async Task An_injected_503_carries_the_configured_Retry_After_and_none_when_it_is_zero()
    {
        await using var server = await GraphEmulatorServer.StartAsync(TestData.Options());
        using var http = await BatchTests.AuthorizedClient(server);
        using var admin = server.CreateHttpClient();
        (await admin.PutAsync("_emulator/faults", BatchTests.Json(new JsonObject { ["serviceUnavailableRate"] = 1.0, ["serviceUnavailableRetryAfterSeconds"] = 2 }))).EnsureSuccessStatusCode();
        var told = await http.GetAsync("v1.0/organization");
        Assert.Equal(503, (int)told.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), told.Headers.RetryAfter?.Delta);

        (await admin.PutAsync("_emulator/faults", BatchTests.Json(new JsonObject { ["serviceUnavailableRate"] = 1.0, ["serviceUnavailableRetryAfterSeconds"] = 0 }))).EnsureSuccessStatusCode();
        var untold = await http.GetAsync("v1.0/organization");
        Assert.Equal(503, (int)untold.StatusCode);
        Assert.Null(untold.Headers.RetryAfter);
    }

    [Fact]
    public async Task A_refusal_answers_the_next_requests_to_its_endpoint_and_then_never_again()
    {
        await using var server = await GraphEmulatorServer.StartAsync(TestData.Options());
        using var http = await BatchTests.AuthorizedClient(server);
        using var admin = server.CreateHttpClient();
        (await admin.PostAsync("_emulator/faults/refusals", BatchTests.Json(new JsonObject { ["endpoint"] = "GET /organization", ["status"] = 403, ["times"] = 2 }))).EnsureSuccessStatusCode();

        Assert.Equal(200, (int)(await http.GetAsync("v1.0/subscribedSkus")).StatusCode);
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var refused = await http.GetAsync("v1.0/organization");
            Assert.Equal(403, (int)refused.StatusCode);
            Assert.Equal("Authorization_RequestDenied", (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!["code"]);
        }

        Assert.Equal(200, (int)(await http.GetAsync("v1.0/organization")).StatusCode);
        Assert.Empty(server.State.Faults.Refusals);
    }

    [Fact]
    public async Task Dropped_connections_surface_as_HttpRequestException()
    {
        await using var server = await GraphEmulatorServer.StartAsync(TestData.Options(o => o.Faults = new FaultSettings { DropConnectionRate = 1.0 }));
        using var http = await BatchTests.AuthorizedClient(server);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("v1.0/users"));
    }

    [Fact]
    public async Task Latency_is_added()
    {
        await using var server = await GraphEmulatorServer.StartAsync(TestData.Options(o => o.Faults = new FaultSettings { LatencyMs = 300 }));
        using var http = await BatchTests.AuthorizedClient(server);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        (await http.GetAsync("v1.0/organization")).EnsureSuccessStatusCode();
        Assert.True(sw.ElapsedMilliseconds >= 280, $"took {sw.ElapsedMilliseconds} ms");
    }
}
