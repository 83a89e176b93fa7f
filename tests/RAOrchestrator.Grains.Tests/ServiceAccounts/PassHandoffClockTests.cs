using RAOrchestrator.Abstractions.ServiceAccounts;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.SignInPasses;

namespace RAOrchestrator.Grains.Tests.ServiceAccounts;

/// <summary>A mailed pass on the grains' clock: a confirmation code works for ten minutes, the link until the pass expires.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class PassHandoffClockTests(GrainCluster cluster)
{
    private const string Expert = "erin@vendor.example";

    [Fact]
    public async Task A_code_expires_after_ten_minutes_a_new_one_shows_the_pass_and_a_link_past_the_pass_expiry_is_dead()
    {
        var tenantId = await PassMailTenants.AddAsync(cluster.Emulator);
        var (link, handoff) = await OpenAsync(tenantId, TimeSpan.FromHours(1));

        await handoff.SendCodeAsync(link.Keys);
        var first = PassMailTenants.LatestCode(cluster.Emulator, tenantId, Expert);
        cluster.Clock.Advance(TimeSpan.FromMinutes(10));
        var late = await Assert.ThrowsAsync<OrchestratorException>(() => handoff.ShowAsync(link.Keys, first));
        Assert.Equal(PassHandoffRefusals.CodeExpired, late.Reason);

        await handoff.SendCodeAsync(link.Keys);
        var shown = await handoff.ShowAsync(link.Keys, PassMailTenants.LatestCode(cluster.Emulator, tenantId, Expert));
        Assert.Equal("Pass-1234-abcd", shown.Pass);

        var (expiring, waiting) = await OpenAsync(tenantId, TimeSpan.FromHours(1));
        cluster.Clock.Advance(TimeSpan.FromHours(1));
        var dead = await Assert.ThrowsAsync<OrchestratorException>(() => waiting.SendCodeAsync(expiring.Keys));
        Assert.Equal(PassHandoffRefusals.LinkExpired, dead.Reason);
    }

    [Fact]
    public async Task A_code_sent_just_before_the_pass_expires_stops_with_the_pass()
    {
        var tenantId = await PassMailTenants.AddAsync(cluster.Emulator);
        var (link, handoff) = await OpenAsync(tenantId, TimeSpan.FromMinutes(4));

        var sent = await handoff.SendCodeAsync(link.Keys);
        Assert.Equal(cluster.Clock.GetUtcNow().AddMinutes(4), sent.ExpiresAt);
        cluster.Clock.Advance(TimeSpan.FromMinutes(4));
        var refused = await Assert.ThrowsAsync<OrchestratorException>(() => handoff.ShowAsync(link.Keys, PassMailTenants.LatestCode(cluster.Emulator, tenantId, Expert)));
        Assert.Equal(PassHandoffRefusals.LinkExpired, refused.Reason);
    }

    private async Task<(PassLink Link, IPassHandoffGrain Handoff)> OpenAsync(string tenantId, TimeSpan lifetime)
    {
        var link = PassLink.New();
        var handoff = cluster.Grains.GetGrain<IPassHandoffGrain>(link.Keys.HandoffId);
        await handoff.OpenAsync(new PassHandoffOpening(tenantId, $"tenants/{tenantId}/serviceAccounts/expert", "Customer", "expert@customer.example",
            PassMailTenants.Sender(tenantId), Expert, cluster.Clock.GetUtcNow() + lifetime, UsableOnce: false, PassSeal.Seal(link.Keys, "Pass-1234-abcd")));
        return (link, handoff);
    }
}
