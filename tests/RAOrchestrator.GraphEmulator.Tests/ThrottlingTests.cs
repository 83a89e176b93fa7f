using System.Text.Json.Nodes;
using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.GraphEmulator.Tests;

public sealed class ThrottlingTests
{
    [Fact]
    public async Task A_burst_over_a_small_budget_gets_429_and_early_requests_are_counted()
    {
        await using var server = await GraphEmulatorServer.StartAsync(TestData.Options(o =>
            o.Throttling = new ThrottlingSettings { BudgetOverride = 10, WindowSeconds = 2 }));
        using var http = await BatchTests.AuthorizedClient(server);

        // GET /users costs 2 units: five fit in a budget of 10.
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            responses.Add(await http.GetAsync("v1.0/users"));
        }

        Assert.All(responses, r => Assert.Equal(200, (int)r.StatusCode));
        Assert.Equal("2", responses[0].Headers.GetValues("x-ms-resource-unit").Single());
        Assert.False(responses[0].Headers.Contains("x-ms-throttle-limit-percentage"));
        Assert.Equal("0.8", responses[3].Headers.GetValues("x-ms-throttle-limit-percentage").Single());
        Assert.True(responses[4].Headers.Contains("x-ms-throttle-scope"));

        var throttled = await http.GetAsync("v1.0/users");
        Assert.Equal(429, (int)throttled.StatusCode);
        var retryAfter = throttled.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.Equal("TooManyRequests", (string?)JsonNode.Parse(await throttled.Content.ReadAsStringAsync())!["error"]!["code"]);
        Assert.Equal(0, server.State.Counters.ForTenant(TestData.TenantA).EarlyRequests);

        // Too early: counted.
        var early = await http.GetAsync("v1.0/users");
        Assert.Equal(429, (int)early.StatusCode);
        Assert.Equal(1, server.State.Counters.ForTenant(TestData.TenantA).EarlyRequests);

        // After the Retry-After given last: not counted, and served.
        await Task.Delay(early.Headers.RetryAfter!.Delta!.Value + TimeSpan.FromMilliseconds(150));
        var later = await http.GetAsync("v1.0/users");
        Assert.Equal(200, (int)later.StatusCode);
        var counters = server.State.Counters.ForTenant(TestData.TenantA);
        Assert.Equal(1, counters.EarlyRequests);
        Assert.Equal(2, counters.Throttled);

        using var admin = server.CreateHttpClient();
        var json = JsonNode.Parse(await admin.GetStringAsync("_emulator/counters"))!;
        Assert.Equal(1, (int)json["tenants"]![TestData.TenantA]!["earlyRequests"]!);
    }

    [Fact]
    public async Task Writes_beyond_the_apps_own_write_bucket_get_429_with_the_application_scope()
    {
        await using var server = await GraphEmulatorServer.StartAsync(TestData.Options(o =>
            o.Throttling = new ThrottlingSettings { AppWriteBudget = 3, AppWriteWindowSeconds = 60 }));
        using var http = await BatchTests.AuthorizedClient(server);

        var statuses = new List<int>();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 4; i++)
        {
            last = await http.PatchAsync($"v1.0/users/{TestData.OrganizerA}", BatchTests.Json(new JsonObject { ["department"] = $"D{i}" }));
            statuses.Add((int)last.StatusCode);
        }

        Assert.Equal([204, 204, 204, 429], statuses);
        Assert.StartsWith("Application/Write/", last.Headers.GetValues("x-ms-throttle-scope").Single(), StringComparison.Ordinal);
        Assert.True(last.Headers.RetryAfter?.Delta > TimeSpan.Zero);

        // Reads are not writes: the app's write bucket does not hold them.
        Assert.Equal(200, (int)(await http.GetAsync("v1.0/users")).StatusCode);
    }

    [Fact]
    public async Task Inner_batch_requests_are_throttled_one_by_one_with_retry_after()
    {
        await using var server = await GraphEmulatorServer.StartAsync(TestData.Options(o =>
            o.Throttling = new ThrottlingSettings { BudgetOverride = 6, WindowSeconds = 5 }));
        using var http = await BatchTests.AuthorizedClient(server);
        var requests = new JsonArray();
        for (var i = 0; i < 5; i++)
        {
            requests.Add(new JsonObject { ["id"] = $"{i}", ["method"] = "GET", ["url"] = "/users" });
        }

        var response = await http.PostAsync("v1.0/$batch", BatchTests.Json(new JsonObject { ["requests"] = requests }));
        response.EnsureSuccessStatusCode();
        var results = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["responses"]!.AsArray();
        Assert.Equal(3, results.Count(r => (int)r!["status"]! == 200));
        var limited = results.Where(r => (int)r!["status"]! == 429).ToList();
        Assert.Equal(2, limited.Count);
        Assert.All(limited, r => Assert.True(int.Parse((string)r!["headers"]!["Retry-After"]!) >= 1));
        Assert.Equal(2, server.State.Counters.ForTenant(TestData.TenantA).Throttled);
    }

    [Fact]
    public async Task Throttling_settings_change_through_the_admin_endpoint()
    {
        await using var server = await GraphEmulatorServer.StartAsync(TestData.Options());
        using var admin = server.CreateHttpClient();
        var put = await admin.PutAsync("_emulator/throttling", BatchTests.Json(new JsonObject { ["budgetOverride"] = 2, ["windowSeconds"] = 30 }));
        put.EnsureSuccessStatusCode();
        using var http = await BatchTests.AuthorizedClient(server);
        Assert.Equal(200, (int)(await http.GetAsync("v1.0/users")).StatusCode);
        Assert.Equal(429, (int)(await http.GetAsync("v1.0/users")).StatusCode);
    }

    [Fact]
    public void A_request_counts_as_early_only_once_the_answer_saying_wait_was_sent_and_its_grace_is_over()
    {
        var time = new ManualTime();
        var throttler = new Throttler(new ThrottlingSettings { InFlightGraceMilliseconds = 500 }, time);

        // An inner 429 decided while its batch goes on running: the client cannot know of it yet.
        throttler.RecordRetryAfter("app", "tenant", 5);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(throttler.IsEarly("app", "tenant", time.GetUtcNow()));

        // The batch's answer is sent: requests already on the wire within the grace are excused, later ones are early.
        throttler.Told("app", "tenant");
        time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.False(throttler.IsEarly("app", "tenant", time.GetUtcNow()));
        time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.True(throttler.IsEarly("app", "tenant", time.GetUtcNow()));

        // Once the Retry-After has passed nothing is early, and the next run waits for its own answer again.
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(throttler.IsEarly("app", "tenant", time.GetUtcNow()));
        throttler.RecordRetryAfter("app", "tenant", 5);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(throttler.IsEarly("app", "tenant", time.GetUtcNow()));
    }
}

public sealed class WriteBucketTests
{
    [Fact]
    public async Task Writes_have_their_own_bucket()
    {
        await using var server = await GraphEmulatorServer.StartAsync(TestData.Options(o =>
            o.Throttling = new ThrottlingSettings { WriteBudget = 2, WriteWindowSeconds = 60 }));
        using var http = await BatchTests.AuthorizedClient(server);
        for (var i = 0; i < 2; i++)
        {
            var ok = await http.PatchAsync($"v1.0/users/{TestData.OrganizerA}", BatchTests.Json(new JsonObject { ["department"] = $"D{i}" }));
            Assert.Equal(204, (int)ok.StatusCode);
        }
        var limited = await http.PatchAsync($"v1.0/users/{TestData.OrganizerA}", BatchTests.Json(new JsonObject { ["department"] = "D3" }));
        Assert.Equal(429, (int)limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds > 30);
        // Reads still go through.
        Assert.Equal(200, (int)(await http.GetAsync("v1.0/organization")).StatusCode);
    }
}

public sealed class AppBudgetTests
{
    [Fact]
    public async Task The_app_budget_is_shared_by_all_tenants_it_calls()
    {
        // Scale 0.0001: app budget 15 units per 20 s, tenant budgets 1 unit -> override them to stay out of the way.
        await using var server = await GraphEmulatorServer.StartAsync(TestData.Options(o =>
            o.Throttling = new ThrottlingSettings { Scale = 0.0001, BudgetOverride = 1_000_000 }));
        using var a = await BatchTests.AuthorizedClient(server, TestData.TenantA);
        using var b = await BatchTests.AuthorizedClient(server, TestData.TenantNoPolicy);
        // GET /users costs 2: four calls on A and three on B spend 14 of 15 units.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(200, (int)(await a.GetAsync("v1.0/users")).StatusCode);
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (int)(await b.GetAsync("v1.0/users")).StatusCode);
        }

        var limited = await b.GetAsync("v1.0/users");
        Assert.Equal(429, (int)limited.StatusCode);
        Assert.StartsWith("Application/", limited.Headers.GetValues("x-ms-throttle-scope").Single());
    }
}
