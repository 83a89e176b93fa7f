using Microsoft.Extensions.DependencyInjection;
using RAOrchestrator.Abstractions.Licensing;
using RAOrchestrator.Abstractions.ServiceAccounts;
using RAOrchestrator.Domain.Licensing;
using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.Grains.Tests.ServiceAccounts;

/// <summary>
/// What resumes an account's provisioning when it stops half-way, with fewer writes than a reminder and a stored step
/// each: the seat ledger's confirmation takes no write of the account's own (the account is stored ACTIVE just before
/// it, and a lost confirmation is made again by the next activation), and an account whose caller resumes it (a bulk
/// onboarding) registers its own reminder only once that caller lets go. Storage failures are made by the test's gate
/// in front of the real table storage, Graph's by the emulator.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class ProvisioningResumeTests(GrainCluster cluster)
{
    [Fact]
    public async Task An_account_whose_seat_confirmation_was_lost_is_active_and_its_next_activation_confirms_the_seats()
    {
        var tenantId = await GrainTenants.OnboardAsync(cluster, "partner-" + Guid.NewGuid().ToString("N")[..8]);
        var ledger = cluster.Grains.GetGrain<ISeatLedgerGrain>($"tenants/{tenantId}/seatLedger");
        var account = cluster.Grains.GetGrain<IServiceAccountGrain>($"tenants/{tenantId}/serviceAccounts/vendor");
        var spec = Spec(tenantId);

        // The inventory is read (and written) first; then the reservation's write lands and the confirmation's fails,
        // as a storage outage would make it.
        await ledger.SummaryAsync(refresh: true);
        var reservation = cluster.Gate.HoldNextWrite(ledger.GetGrainId());
        var created = account.CreateAsync("request-1", spec);
        await reservation.Arrived.WaitAsync(TimeSpan.FromSeconds(30));
        var confirmation = cluster.Gate.HoldNextWrite(ledger.GetGrainId());
        reservation.Release();
        await confirmation.Arrived.WaitAsync(TimeSpan.FromSeconds(30));
        confirmation.Fail();

        var view = await created;
        Assert.Equal(ServiceAccountStatus.Active, view.Status);
        Assert.Equal(1, (await ReadSeatsAsync(ledger)).Reserved);

        // As after a crash: nothing holds the account; reading it activates it, and the activation confirms again.
        await cluster.DeactivateAsync(account.GetGrainId());
        Assert.Equal(ServiceAccountStatus.Active, (await account.TryGetAsync())!.Status);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        SeatSummary seats;
        while ((seats = await ReadSeatsAsync(ledger)).Reserved != 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the account's next activation never confirmed its seats");
            await Task.Delay(50);
        }

        Assert.Equal(1, seats.Consumed);
        Assert.Single(cluster.Emulator.State.Tenants[tenantId].Users, u => (string?)u["userPrincipalName"] == spec.UserPrincipalName);
    }

    [Fact]
    public async Task An_account_its_caller_resumes_that_answers_active_with_its_seat_confirmation_lost_confirms_by_its_own_reminder()
    {
        var tenantId = await GrainTenants.OnboardAsync(cluster, "partner-" + Guid.NewGuid().ToString("N")[..8]);
        var ledger = cluster.Grains.GetGrain<ISeatLedgerGrain>($"tenants/{tenantId}/seatLedger");
        var account = cluster.Grains.GetGrain<IServiceAccountGrain>($"tenants/{tenantId}/serviceAccounts/vendor");
        var reminders = cluster.SiloServices.GetRequiredService<IReminderTable>();

        // As in a bulk onboarding: the caller resumes the account until it hears ACTIVE, and then calls no more.
        await ledger.SummaryAsync(refresh: true);
        var reservation = cluster.Gate.HoldNextWrite(ledger.GetGrainId());
        var created = account.CreateAsync("request-1", Spec(tenantId), callerResumes: true);
        await reservation.Arrived.WaitAsync(TimeSpan.FromSeconds(30));
        var confirmation = cluster.Gate.HoldNextWrite(ledger.GetGrainId());
        reservation.Release();
        await confirmation.Arrived.WaitAsync(TimeSpan.FromSeconds(30));
        confirmation.Fail();

        Assert.Equal(ServiceAccountStatus.Active, (await created).Status);
        Assert.Equal(1, (await ReadSeatsAsync(ledger)).Reserved);

        // Nobody calls it again: its own reminder makes the confirmation (the seat stayed held otherwise).
        Assert.Single((await reminders.ReadRows(account.GetGrainId())).Reminders);
    }

    [Fact]
    public async Task An_account_its_caller_resumes_has_no_reminder_until_the_caller_lets_it_go_and_none_once_it_is_active()
    {
        var tenantId = await GrainTenants.OnboardAsync(cluster, "partner-" + Guid.NewGuid().ToString("N")[..8]);
        var account = cluster.Grains.GetGrain<IServiceAccountGrain>($"tenants/{tenantId}/serviceAccounts/vendor");
        var reminders = cluster.SiloServices.GetRequiredService<IReminderTable>();
        async Task<int> RemindersAsync() => (await reminders.ReadRows(account.GetGrainId())).Reminders.Count;

        // Graph is away: the saga pauses before the user is made.
        var away = new[] { "POST /$batch", "POST /users" };
        foreach (var endpoint in away)
        {
            cluster.Emulator.State.Faults.Refuse(new RefusalFault(endpoint, 503, "serviceNotAvailable", "The service is temporarily unavailable.", Times: 100));
        }

        try
        {
            Assert.Equal(ServiceAccountStatus.Provisioning, (await account.CreateAsync("request-1", Spec(tenantId), callerResumes: true)).Status);
            Assert.Equal(0, await RemindersAsync());

            // The caller stops calling: from now on the account's own reminder resumes it.
            await account.ResumeAsync();
            Assert.Equal(ServiceAccountStatus.Provisioning, (await account.TryGetAsync())!.Status);
            Assert.Equal(1, await RemindersAsync());
        }
        finally
        {
            cluster.Emulator.State.Faults.ClearRefusals();
        }

        await account.ResumeAsync();
        Assert.Equal(ServiceAccountStatus.Active, (await account.TryGetAsync())!.Status);
        Assert.Equal(0, await RemindersAsync());
    }

    private static ServiceAccountSpec Spec(string tenantId) =>
        new("Vendor", $"vendor@{TestEmulator.DefaultDomain(tenantId)}", "DE", new Dictionary<string, string>(), false, [TestEmulator.RemoteAssistSku]);

    /// <summary>A fresh inventory read, after the grains' clock moved on: it counts the confirmations made before it.</summary>
    private async Task<SeatSummary> ReadSeatsAsync(ISeatLedgerGrain ledger)
    {
        cluster.Clock.Advance(TimeSpan.FromMilliseconds(1));
        return RemoteAssist(await ledger.SummaryAsync(refresh: true));
    }

    private static SeatSummary RemoteAssist(IReadOnlyList<SeatSummary> summary) => summary.Single(s => s.SkuId == TestEmulator.RemoteAssistSku);
}
