using System.Text.Json.Nodes;
using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.GraphEmulator.Tests;

public sealed class RequestLogTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_request_arriving_before_the_Retry_After_its_tenant_was_given_is_early_and_one_in_flight_or_after_it_is_not()
    {
        var log = new RequestLog();
        log.Add(Record(0, 10, 429, retryAfter: 2));
        log.Add(Record(15, 16, 200));       // already on the wire when the 429 was answered
        log.Add(Record(1_500, 1_510, 200)); // early: 1.5 s into a 2 s wait
        log.Add(Record(2_100, 2_110, 200)); // after the wait
        log.Add(Record(500, 510, 200, tenant: "other")); // another tenant was never told to wait

        var early = log.EarlyRequests(TimeSpan.FromMilliseconds(20));

        var (request, told) = Assert.Single(early);
        Assert.Equal(T0.AddMilliseconds(1_500), request.Arrived);
        Assert.Equal(429, told.Status);
    }

    [Fact]
    public async Task Every_Graph_request_is_logged_with_its_status_and_Retry_After()
    {
        await using var server = await GraphEmulatorServer.StartAsync(TestData.Options(o => o.Faults = new FaultSettings { Forced429Rate = 1.0, Forced429RetryAfterSeconds = 3 }));
        using var http = await BatchTests.AuthorizedClient(server);
        Assert.Equal(429, (int)(await http.GetAsync("v1.0/organization")).StatusCode);

        var record = Assert.Single(server.State.Requests.Snapshot());
        Assert.Equal((TestData.TenantA, 429, 3, false), (record.Tenant, record.Status, record.RetryAfterSeconds, record.Inner));
        Assert.True(record.Answered >= record.Arrived);

        using var admin = server.CreateHttpClient();
        var json = JsonNode.Parse(await admin.GetStringAsync("_emulator/requests"))!.AsArray();
        Assert.Equal(3, (int)json.Single()!["retryAfterSeconds"]!);
    }

    [Fact]
    public async Task An_inner_request_is_logged_as_answered_when_its_batch_was_answered()
    {
        // A clock that moves a millisecond each time it is read, so "before" and "after" are told apart.
        await using var server = await GraphEmulatorServer.StartAsync(TestData.Options(o => o.TimeProvider = new SteppingTime()));
        using var http = await BatchTests.AuthorizedClient(server);
        var requests = new JsonArray(
            new JsonObject { ["id"] = "1", ["method"] = "GET", ["url"] = "/organization" },
            new JsonObject { ["id"] = "2", ["method"] = "GET", ["url"] = "/subscribedSkus" });
        Assert.Equal(200, (int)(await http.PostAsync("v1.0/$batch", BatchTests.Json(new JsonObject { ["requests"] = requests }))).StatusCode);

        var records = server.State.Requests.Snapshot();
        var batch = Assert.Single(records, r => !r.Inner);
        var inner = records.Where(r => r.Inner).ToArray();
        Assert.Equal(2, inner.Length);
        // The client learns of an inner answer only with its batch's: that is when an inner request was answered.
        Assert.All(inner, r => Assert.True(r.Answered >= batch.Answered, $"{r.Endpoint} answered at {r.Answered:O}, its batch at {batch.Answered:O}"));
        Assert.All(inner, r => Assert.Equal(batch.Arrived, r.Arrived));
    }

    private static GraphRequestRecord Record(int arrivedMs, int answeredMs, int status, int? retryAfter = null, string tenant = "t") =>
        new(T0.AddMilliseconds(arrivedMs), T0.AddMilliseconds(answeredMs), "app", tenant, "GET /users", status, retryAfter, Inner: false);

    private sealed class SteppingTime : TimeProvider
    {
        private readonly Lock _lock = new();
        private DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow()
        {
            lock (_lock)
            {
                return _now = _now.AddMilliseconds(1);
            }
        }
    }
}
