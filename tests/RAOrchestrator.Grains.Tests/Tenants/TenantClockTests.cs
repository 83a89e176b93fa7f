using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Tenants;
using RAOrchestrator.Domain.Tenants.Ownership;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.Grains.Tenants;

namespace RAOrchestrator.Grains.Tests.Tenants;

/// <summary>
/// A tenant grain on its clock: a claim waits for the tenant administrator for the claim lifetime (14 days by default),
/// and a workflow step Graph interrupts is tried again a few seconds later; driven here by moving the grains' clock.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class TenantClockTests(GrainCluster cluster)
{
    /// <summary>The tenant grain's wait before it tries an interrupted step again.</summary>
    private static readonly TimeSpan TransientRetry = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_claim_nobody_decides_expires_when_the_clock_passes_its_lifetime_and_a_new_claim_gets_a_new_link()
    {
        var (tenant, partner) = await NewTenantAsync(preApproved: false);
        var claim = await tenant.CreateAsync(new CreateTenant(partner, Guid.NewGuid().ToString("N"), "Company ABC", TenantSettings.Default));
        Assert.Equal(TenantLifecycle.AwaitingApproval, claim.Tenant.Lifecycle);
        var operation = cluster.Grains.GetGrain<IOperationGrain>(ResourceName.Operation(claim.Operation.OperationId));

        cluster.Clock.Advance(claim.Tenant.ApprovalExpireTime!.Value - cluster.Clock.GetUtcNow() - TimeSpan.FromSeconds(1));
        Assert.Equal(claim.Operation.Version, (await operation.TryGetAsync(partner))!.Version);
        cluster.Clock.Advance(TimeSpan.FromSeconds(1));

        // Only the tenant grain's expiry ends the operation: the watch asks nothing of the tenant.
        var expired = await operation.WatchToEndAsync(partner, claim.Operation);
        Assert.Equal((OperationStatus.Failed, Reasons.ApprovalExpired), (expired.Status, expired.Failure?.Reason));
        Assert.True(string.IsNullOrEmpty(expired.ApprovalPath));
        Assert.Null(await tenant.TryGetAsync(partner));
        Assert.Equal(ClaimStatus.Expired, (await tenant.GetApprovalRequestAsync(claim.Tenant.ApprovalPath!.Split('/')[^1]))!.Status);

        var again = await tenant.CreateAsync(new CreateTenant(partner, Guid.NewGuid().ToString("N"), "Company ABC", TenantSettings.Default));
        Assert.Equal(TenantLifecycle.AwaitingApproval, again.Tenant.Lifecycle);
        Assert.NotEqual(claim.Tenant.ApprovalPath, again.Tenant.ApprovalPath);
    }

    [Fact]
    public async Task An_onboarding_step_Graph_refuses_once_is_tried_again_when_the_clock_passes_the_retry_delay()
    {
        var (tenant, partner) = await NewTenantAsync(preApproved: true);
        cluster.Emulator.State.Faults.Refuse(new RefusalFault("GET /organization", 503, "serviceNotAvailable", "The service is temporarily unavailable."));
        var started = cluster.Clock.GetUtcNow();

        var created = await tenant.CreateAsync(new CreateTenant(partner, Guid.NewGuid().ToString("N"), "Company ABC", GrainTenants.Confirmed));
        var operation = cluster.Grains.GetGrain<IOperationGrain>(ResourceName.Operation(created.Operation.OperationId));
        var done = await cluster.Clock.AdvanceUntilAsync(operation.WatchToEndAsync(partner, created.Operation), TimeSpan.FromSeconds(1));

        Assert.Empty(cluster.Emulator.State.Faults.Refusals);
        Assert.True(done.Status == OperationStatus.Succeeded, $"{done.Failure?.Reason}: {done.Failure?.Message}");
        Assert.True(cluster.Clock.GetUtcNow() - started >= TransientRetry, "the step was tried again before its retry delay passed");
    }

    [Fact]
    public async Task A_tenant_answers_reads_while_a_workflow_step_waits_on_Graph()
    {
        var (tenant, partner) = await NewTenantAsync(preApproved: true);
        const string Endpoint = "GET /organization";
        var before = cluster.Emulator.State.Arrivals.GetValueOrDefault(Endpoint);
        cluster.Emulator.State.Faults.Settings = new FaultSettings { HangRate = 1.0, Endpoints = [Endpoint] };
        try
        {
            await tenant.CreateAsync(new CreateTenant(partner, Guid.NewGuid().ToString("N"), "Company ABC", GrainTenants.Confirmed));
            for (var i = 0; i < 200 && cluster.Emulator.State.Arrivals.GetValueOrDefault(Endpoint) == before; i++)
            {
                cluster.Clock.Advance(TimeSpan.FromMilliseconds(10)); // lets the workflow's timer fire; far below any Graph deadline
                await Task.Delay(25);
            }

            Assert.True(cluster.Emulator.State.Arrivals.GetValueOrDefault(Endpoint) > before, "the onboarding step never reached Graph");

            // The step holds its turn while Graph does not answer; what every caller that acts on the tenant asks still answers.
            var view = await tenant.TryGetAsync(partner).WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(TenantLifecycle.Onboarding, view!.Lifecycle);
        }
        finally
        {
            cluster.Emulator.State.Faults.Settings = new FaultSettings();
        }
    }

    [Fact]
    public async Task Onboarding_checks_that_end_within_the_checkpoint_interval_share_one_write_and_one_report_and_a_slower_run_writes_at_the_interval()
    {
        var quick = await OnboardingWritesAsync(directoryCallTakes: TimeSpan.Zero);
        var slow = await OnboardingWritesAsync(directoryCallTakes: TenantWorkflows.ChecksCheckpointInterval);

        // Without moving the clock: the tenant writes its claim, the approval with the workflow, the run's results with
        // its outcome, and the workflow cleared; the operation its record, the approval, the first step's start and the
        // outcome. Writing each step's result, as a run slower than the interval does, would add a write and a
        // report for each of the steps.
        Assert.Equal((4, 4), quick);

        // With each directory call taking the interval on the grains' clock, each of the five checks that calls the
        // directory (consent, organization, licences, meeting access, sign-in prerequisites) is written and reported
        // before the next step starts.
        Assert.Equal((quick.TenantWrites + 5, quick.OperationWrites + 5), slow);
    }

    /// <summary>
    /// Onboards a pre-approved tenant and counts the tenant's and its operation's state writes, from the claim to the
    /// workflow's end, with the grains' clock moved by <paramref name="directoryCallTakes"/> at each directory call. The
    /// tenant's last write (the workflow cleared) follows the operation's outcome, so it is awaited before counting.
    /// </summary>
    private async Task<(int TenantWrites, int OperationWrites)> OnboardingWritesAsync(TimeSpan directoryCallTakes)
    {
        var (tenant, partner) = await NewTenantAsync(preApproved: true);
        cluster.DirectoryCallTakes = directoryCallTakes;
        var cleared = cluster.Gate.LandedAsync<Grains.Tenants.TenantState>(tenant.GetGrainId(), s => s.Workflow is null && s.Lifecycle == TenantLifecycle.Active);
        try
        {
            var created = await tenant.CreateAsync(new CreateTenant(partner, Guid.NewGuid().ToString("N"), "Company ABC", GrainTenants.Confirmed));
            var operation = cluster.Grains.GetGrain<IOperationGrain>(ResourceName.Operation(created.Operation.OperationId));
            var done = await operation.WatchToEndAsync(partner, created.Operation);
            Assert.Equal(OperationStatus.Succeeded, done.Status);
            await cleared.WaitAsync(TimeSpan.FromSeconds(30));
            return (cluster.Gate.Writes(tenant.GetGrainId()), cluster.Gate.Writes(operation.GetGrainId()));
        }
        finally
        {
            cluster.DirectoryCallTakes = TimeSpan.Zero;
        }
    }

    /// <summary>A customer tenant in the emulator that no partner has claimed yet, and a partner of its own (pre-approved for it when asked).</summary>
    private async Task<(ITenantGrain Tenant, string Partner)> NewTenantAsync(bool preApproved)
    {
        var partner = "partner-tenant-" + Guid.NewGuid().ToString("N")[..8];
        var tenantId = Guid.NewGuid().ToString();
        await TestEmulator.AddTenantAsync(cluster.Emulator, tenantId);
        if (preApproved)
        {
            cluster.PreApproved[partner] = [tenantId];
        }

        return (cluster.Grains.GetGrain<ITenantGrain>(ResourceName.Tenant(tenantId)), partner);
    }
}
