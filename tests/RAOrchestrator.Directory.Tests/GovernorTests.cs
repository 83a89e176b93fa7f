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

    /// <summary>An app's budget of 20 writes in 5 minutes and 40 units in 20 s; tenants' budgets that never bind.</summary>
    private static readonly GraphBudgetOptions TwentyAppWrites = new()
    {
        TenantUnitsPer10Seconds = 1_000,
        TenantWritesPer150Seconds = 1_000,
        AppUnitsPer20Seconds = 40,
        AppWritesPer5Minutes = 20,
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
    public async Task A_request_waiting_for_the_apps_write_budget_is_served_before_requests_that_asked_after_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-28T12:00:00Z"));
        var governor = new GraphRateGovernor(TwentyAppWrites, time);
        await governor.AcquireAsync("a", 10, 10, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        await governor.AcquireAsync("b", 10, 10, CancellationToken.None);
        var older = governor.AcquireAsync("c", 20, 20, CancellationToken.None);

        // It waits for writes, not units: a read still finds the units it leaves free.
        Assert.True(governor.AcquireAsync("r", 1, 0, CancellationToken.None).IsCompleted, "a read is not held by a request waiting for writes");

        // Half the window frees: enough for a newcomer of 10, not for the older request of 20.
        time.Advance(TimeSpan.FromSeconds(299));
        var newer = governor.AcquireAsync("d", 10, 10, CancellationToken.None);
        Assert.False(newer.IsCompleted, "a newer request does not take what an older one is waiting for");

        time.Advance(TimeSpan.FromSeconds(1));
        await older.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(newer.IsCompleted);
    }

    [Fact]
    public async Task A_request_that_gives_up_waiting_holds_back_no_later_one()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-28T12:00:00Z"));
        var governor = new GraphRateGovernor(TwentyAppWrites, time);
        await governor.AcquireAsync("a", 10, 10, CancellationToken.None);
        using var giveUp = new CancellationTokenSource();
        var cancelled = governor.AcquireAsync("b", 20, 20, giveUp.Token);
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        Assert.True(governor.AcquireAsync("c", 10, 10, CancellationToken.None).IsCompleted);
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

    [Fact]
    public async Task A_partner_flooding_the_apps_budget_leaves_another_partner_at_least_half_of_its_fair_share()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-28T12:00:00Z"));
        var governor = new GraphRateGovernor(new GraphBudgetOptions
        {
            TenantUnitsPer10Seconds = 100_000,
            TenantWritesPer150Seconds = 100_000,
            AppUnitsPer20Seconds = 100,
            AppWritesPer5Minutes = 100_000,
            Safety = 1.0,
        }, time);
        using var stop = new CancellationTokenSource();
        var granted = new Dictionary<string, int> { ["flooder"] = 0, ["other"] = 0 };
        var steady = false;

        async Task SendAsync(string partner, string tenant)
        {
            try
            {
                while (true)
                {
                    await governor.AcquireAsync(tenant, 10, 0, stop.Token, partner);
                    lock (granted)
                    {
                        if (steady)
                        {
                            granted[partner] += 10;
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        // Twenty requests of the flooder in flight at any time against two of the other partner.
        var senders = Enumerable.Range(0, 20).Select(i => SendAsync("flooder", $"f{i}"))
            .Concat(Enumerable.Range(0, 2).Select(i => SendAsync("other", $"o{i}"))).ToList();
        for (var step = 0; step < 240; step++)
        {
            steady = step >= 40; // after the first two windows
            time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(2);
        }

        stop.Cancel();
        time.Advance(TimeSpan.FromMinutes(1));
        await Task.WhenAll(senders);

        var total = granted["flooder"] + granted["other"];
        Assert.True(total > 0);
        // The fair share is half of what was granted; at least half of that.
        Assert.True(granted["other"] >= total / 4, $"the other partner got {granted["other"]} of {total} units");
    }
}
