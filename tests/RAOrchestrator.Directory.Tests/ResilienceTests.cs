using RAOrchestrator.GraphEmulator;

namespace RAOrchestrator.Directory.Tests;

/// <summary>Each test has its own emulator: they change its throttling and faults.</summary>
public sealed class ResilienceTests
{
    [Fact]
    public async Task Under_a_throttle_budget_every_operation_completes_and_nothing_is_sent_before_its_retry_after()
    {
        await using var emulator = await Gateways.StartEmulatorAsync(throttling: new ThrottlingSettings { BudgetOverride = 40, WindowSeconds = 2, InFlightGraceMilliseconds = 500 });
        var (gateway, _, _) = Gateways.For(emulator);

        var work = Enumerable.Range(0, 60).Select(async i =>
        {
            var user = await gateway.EnsureUserAsync(Gateways.Customer, Gateways.NewUser($"throttled-{i}"));
            return await gateway.FindUserAsync(Gateways.Customer, user.UserPrincipalName);
        });
        var found = await Task.WhenAll(work);

        Assert.All(found, Assert.NotNull);
        var counters = emulator.State.Counters.ForTenant(Gateways.Customer);
        Assert.True(counters.Throttled > 0, "the budget was meant to throttle; the test proves nothing otherwise");
        var early = emulator.State.Requests.EarlyRequests(TimeSpan.FromMilliseconds(500));
        Assert.True(counters.EarlyRequests == 0, $"{counters.EarlyRequests} early: " + string.Join("; ", early.Take(5).Select(e =>
            $"{e.Request.Endpoint} arrived {(e.Request.Arrived - e.Told.Answered).TotalMilliseconds:F0} ms after a {e.Told.Status} with Retry-After {e.Told.RetryAfterSeconds} s")));
        Assert.Equal(60, emulator.State.Tenants[Gateways.Customer].Users.Count(u => ((string?)u["userPrincipalName"])!.StartsWith("throttled-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_Retry_After_on_the_last_attempt_still_holds_every_request_of_the_tenant()
    {
        await using var emulator = await Gateways.StartEmulatorAsync(faults: new FaultSettings { Forced429Rate = 1.0, Forced429RetryAfterSeconds = 30 });
        var (gateway, governor, _) = Gateways.For(emulator, configure: o => o.MaxAttempts = 1);

        await Assert.ThrowsAnyAsync<Exception>(() => gateway.FindUserAsync(Gateways.Customer, $"hanna@{Gateways.Domain}"));

        // The caller gave up, but Graph told the tenant to wait: the next request must not go before that.
        Assert.True(governor.BlockedUntil(Gateways.Customer) > DateTimeOffset.UtcNow.AddSeconds(20), $"blocked until {governor.BlockedUntil(Gateways.Customer):O}");
    }

    [Fact]
    public async Task Inner_batch_throttling_is_retried_after_its_retry_after_until_every_user_exists()
    {
        await using var emulator = await Gateways.StartEmulatorAsync(throttling: new ThrottlingSettings { BudgetOverride = 25, WindowSeconds = 2, InFlightGraceMilliseconds = 500 });
        var (gateway, _, _) = Gateways.For(emulator);

        var users = await gateway.EnsureUsersAsync(Gateways.Customer, Enumerable.Range(0, 60).Select(i => Gateways.NewUser($"inner-{i}")).ToArray());

        Assert.Equal(60, users.Select(u => u.Id).Distinct().Count());
        var counters = emulator.State.Counters.ForTenant(Gateways.Customer);
        Assert.True(counters.Throttled > 0);
        Assert.Equal(0, counters.EarlyRequests);
    }

    [Fact]
    public async Task Two_hundred_provisionings_through_injected_503s_and_dropped_connections_leave_no_duplicates()
    {
        await using var emulator = await Gateways.StartEmulatorAsync(
            faults: new FaultSettings { ServiceUnavailableRate = 0.10, DropConnectionRate = 0.05, Seed = 7 });
        var (gateway, _, _) = Gateways.For(emulator);
        using var gate = new SemaphoreSlim(20);

        var provisioned = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var user = await gateway.EnsureUserAsync(Gateways.Customer, Gateways.NewUser($"faulty-{i}"));
                return await gateway.AssignLicencesAsync(Gateways.Customer, user.Id, [Gateways.RemoteAssist], []);
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.All(provisioned, u => Assert.Contains(Gateways.RemoteAssist, u.AssignedSkus));
        var tenant = emulator.State.Tenants[Gateways.Customer];
        var upns = tenant.Users.Select(u => (string?)u["userPrincipalName"]).Where(u => u!.StartsWith("faulty-", StringComparison.Ordinal)).ToArray();
        Assert.Equal(200, upns.Length);
        Assert.Equal(200, upns.Distinct().Count());
        Assert.Equal(200, tenant.ConsumedUnits(Gateways.RemoteAssist));
        Assert.True(emulator.State.Counters.ForTenant(Gateways.Customer).FaultsInjected > 20, "faults were meant to be injected");
    }
}
