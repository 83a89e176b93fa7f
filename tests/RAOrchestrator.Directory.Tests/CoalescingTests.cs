using RAOrchestrator.Domain.Errors;
using RAOrchestrator.GraphEmulator;

namespace RAOrchestrator.Directory.Tests;

/// <summary>
/// The gateway gathers a tenant's concurrent user creations and licence assignments into $batch calls. Each test has
/// its own emulator, so its counters tell exactly what went over the wire.
/// </summary>
public sealed class CoalescingTests
{
    [Fact]
    public async Task Ten_concurrent_accounts_of_a_tenant_are_created_and_licensed_in_one_round_trip()
    {
        await using var emulator = await Gateways.StartEmulatorAsync();
        var (gateway, _, _) = Gateways.For(emulator);
        await gateway.VerifyConsentAsync(Gateways.Customer);
        var before = emulator.State.Counters.ForTenant(Gateways.Customer);

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            gateway.CreateLicensedUserAsync(Gateways.Customer, Gateways.NewUser($"coalesced-{i}", "DE"), [Gateways.RemoteAssist])));

        var after = emulator.State.Counters.ForTenant(Gateways.Customer);
        Assert.Equal(1, after.Requests - before.Requests);
        Assert.Equal(1, after.BatchCalls - before.BatchCalls);
        Assert.Equal(20, after.InnerBatchRequests - before.InnerBatchRequests);
        Assert.All(results, r => Assert.True(r.Created && r.Licensed && r.LicenceError is null));
        Assert.Equal(10, results.Select(r => r.User.Id).Distinct().Count());
        var tenant = emulator.State.Tenants[Gateways.Customer];
        Assert.Equal(10, tenant.ConsumedUnits(Gateways.RemoteAssist));
        Assert.All(tenant.Users.Where(u => ((string?)u["userPrincipalName"])!.StartsWith("coalesced-", StringComparison.Ordinal)),
            u => Assert.Equal("DE", (string?)u["usageLocation"]));
    }

    [Fact]
    public async Task A_taken_upn_answers_with_that_user_untouched_and_unlicensed()
    {
        await using var emulator = await Gateways.StartEmulatorAsync();
        var (gateway, _, _) = Gateways.For(emulator);

        var result = await gateway.CreateLicensedUserAsync(Gateways.Customer, Gateways.NewUser("hanna"), [Gateways.RemoteAssist]);

        Assert.False(result.Created);
        Assert.False(result.Licensed);
        Assert.Equal(Gateways.OrganizerId, result.User.Id);
        Assert.NotNull(result.User.CreatedAt);
        Assert.Equal(0, emulator.State.Tenants[Gateways.Customer].ConsumedUnits(Gateways.RemoteAssist));
        Assert.Equal(1, emulator.State.Counters.ForTenant(Gateways.Customer).Endpoints.Where(e => e.Key.StartsWith("GET /users/", StringComparison.Ordinal)).Sum(e => e.Value.InnerBatchRequests));
    }

    [Fact]
    public async Task A_licence_refused_for_some_accounts_fails_only_those_and_leaves_their_users_for_the_caller_to_undo()
    {
        await using var emulator = await Gateways.StartEmulatorAsync();
        var (gateway, _, _) = Gateways.For(emulator);

        // The E5 suite has one seat: one account gets it, the others are refused for want of seats.
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
            gateway.CreateLicensedUserAsync(Gateways.Customer, Gateways.NewUser($"suite-{i}"), [Gateways.E5])));

        Assert.All(results, r => Assert.True(r.Created));
        Assert.Single(results, r => r.Licensed);
        Assert.Equal(2, results.Count(r => r.LicenceError is { Kind: ErrorKind.ResourceExhausted, Reason: "NO_SEATS_AVAILABLE" }));
        Assert.Equal(1, emulator.State.Tenants[Gateways.Customer].ConsumedUnits(Gateways.E5));
    }

    [Fact]
    public async Task Inner_429s_are_sent_again_after_their_retry_after_and_each_caller_gets_its_own_answer()
    {
        await using var emulator = await Gateways.StartEmulatorAsync(throttling: new ThrottlingSettings { BudgetOverride = 15, WindowSeconds = 2, InFlightGraceMilliseconds = 500 });
        var (gateway, _, _) = Gateways.For(emulator);

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            gateway.CreateLicensedUserAsync(Gateways.Customer, Gateways.NewUser($"throttled-{i}"), [Gateways.RemoteAssist])));

        var counters = emulator.State.Counters.ForTenant(Gateways.Customer);
        Assert.True(counters.Throttled > 0, "the budget was meant to throttle inside the batches");
        Assert.Equal(0, counters.EarlyRequests);
        Assert.All(results, r => Assert.True(r.Created && r.Licensed));
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"throttled-{i}@{Gateways.Domain}"), results.Select(r => r.User.UserPrincipalName));
        var tenant = emulator.State.Tenants[Gateways.Customer];
        Assert.Equal(30, tenant.Users.Count(u => ((string?)u["userPrincipalName"])!.StartsWith("throttled-", StringComparison.Ordinal)));
        Assert.Equal(30, tenant.ConsumedUnits(Gateways.RemoteAssist));
    }
}
