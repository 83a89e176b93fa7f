using Microsoft.Extensions.Time.Testing;
using RAOrchestrator.Directory.Throttling;

namespace RAOrchestrator.Directory.Tests;

public sealed class GovernorTests
{
    private static readonly GraphBudgetOptions Small = new()
    {
        TenantUnitsPer10Seconds = 10,
        TenantWritesPer150Seconds = 1_000,
        AppUnitsPer20Seconds = 1_000,
        AppWritesPer5Minutes = 1_000,
        Safety = 1.0,
    };

    [Fact]
    public async Task Requests_beyond_a_tenants_window_wait_until_usage_rolls_off()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-28T12:00:00Z"));
        var governor = new GraphRateGovernor(Small, time);
        for (var i = 0; i < 5; i++)
        {
            await governor.AcquireAsync("t", 2, 0, CancellationToken.None);
        }

        var blocked = governor.AcquireAsync("t", 2, 0, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(blocked.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await blocked.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Another_tenant_is_not_held_by_a_busy_one()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-28T12:00:00Z"));
        var governor = new GraphRateGovernor(Small, time);
        await governor.AcquireAsync("busy", 10, 0, CancellationToken.None);
        Assert.False(governor.AcquireAsync("busy", 1, 0, CancellationToken.None).IsCompleted);
        Assert.True(governor.AcquireAsync("quiet", 1, 0, CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task A_retry_after_holds_every_request_of_the_tenant_until_it_has_passed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-28T12:00:00Z"));
        var governor = new GraphRateGovernor(Small, time);
        governor.Throttled("t", TimeSpan.FromSeconds(3));

        var waiting = governor.AcquireAsync("t", 1, 0, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_cluster_of_two_silos_gives_each_half_the_budget()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-28T12:00:00Z"));
        var governor = new GraphRateGovernor(Small, time, () => 2);
        await governor.AcquireAsync("t", 5, 0, CancellationToken.None);
        Assert.False(governor.AcquireAsync("t", 1, 0, CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task A_rising_throttle_percentage_shrinks_the_tenants_share()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-28T12:00:00Z"));
        var governor = new GraphRateGovernor(Small, time);
        governor.ReportLimitPercentage("t", 1.0);
        await governor.AcquireAsync("t", 3, 0, CancellationToken.None);
        Assert.False(governor.AcquireAsync("t", 3, 0, CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task A_requests_usage_leaves_the_window_a_window_after_it_was_answered_not_after_it_was_sent()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-28T12:00:00Z"));
        var governor = new GraphRateGovernor(Small, time);
        var charge = await governor.AcquireAsync("t", 10, 0, CancellationToken.None);

        // Graph may have counted it as late as its answer, 2 s after it was sent.
        time.Advance(TimeSpan.FromSeconds(2));
        governor.Answered("t", charge);

        var next = governor.AcquireAsync("t", 10, 0, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1.1));
        await next.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_retry_after_for_the_apps_own_bucket_holds_every_tenant_and_one_for_a_tenant_holds_only_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-28T12:00:00Z"));
        var governor = new GraphRateGovernor(Small, time);

        governor.Throttled("a", TimeSpan.FromSeconds(2), "Tenant_Application/ReadWrite/app/a");
        Assert.False(governor.AcquireAsync("a", 1, 0, CancellationToken.None).IsCompleted);
        Assert.True(governor.AcquireAsync("b", 1, 0, CancellationToken.None).IsCompleted);

        governor.Throttled("b", TimeSpan.FromSeconds(1), "Application/Write/app");
        var other = governor.AcquireAsync("c", 1, 1, CancellationToken.None);
        Assert.False(other.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await other.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("GET", "/v1.0/users?$filter=x", 2, 0)]
    [InlineData("GET", "/v1.0/users?$select=id", 1, 0)]
    [InlineData("GET", "/v1.0/subscribedSkus", 3, 0)]
    [InlineData("GET", "/v1.0/users?$expand=memberOf", 3, 0)]
    [InlineData("POST", "/v1.0/users", 1, 1)]
    [InlineData("PATCH", "/v1.0/users/1", 1, 1)]
    public void Request_costs_follow_the_published_table(string method, string path, int units, int writes) =>
        Assert.Equal(new GraphRequestCost.Cost(units, writes), GraphRequestCost.Of(method, path));
}
