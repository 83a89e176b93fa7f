using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Grains.Bulk;

namespace RAOrchestrator.Grains.Tests.Bulk;

/// <summary>How the silo's Graph write budget bounds each bulk coordinator's accounts in flight (pure).</summary>
public sealed class BulkAccountPacingTests
{
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(10);

    [Fact]
    public void One_coordinator_may_have_in_flight_what_the_write_budget_serves_within_its_target()
    {
        // 20 writes a second are 10 accounts a second (a creation and a licence assignment each): 100 in 10 s.
        var pacing = new BulkAccountPacing(new Budget(20));
        using var share = pacing.Provisioning();

        Assert.Equal(100, pacing.CeilingFor(Target));
    }

    [Fact]
    public void Coordinators_provisioning_at_once_divide_the_budget_and_a_leaving_one_gives_its_share_back()
    {
        var pacing = new BulkAccountPacing(new Budget(20));
        using var first = pacing.Provisioning();
        var second = pacing.Provisioning();
        Assert.Equal(50, pacing.CeilingFor(Target));

        second.Dispose();
        second.Dispose();

        Assert.Equal(100, pacing.CeilingFor(Target));
    }

    [Fact]
    public void A_budget_too_small_for_a_batch_within_the_target_still_lets_one_batch_of_accounts_go()
    {
        var pacing = new BulkAccountPacing(new Budget(0.5));
        using var share = pacing.Provisioning();

        Assert.Equal(AccountWindow.Step, pacing.CeilingFor(Target));
    }

    private sealed record Budget(double WritesPerSecond) : IDirectoryWriteBudget;
}
