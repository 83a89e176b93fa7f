using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Abstractions.Partners;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Tenants.Ownership;
using RAOrchestrator.Grains.Workflows;

namespace RAOrchestrator.Grains.Tenants;

/// <summary>
/// Ownership: claims by partners, decided by an administrator of the tenant through the approval page. Nothing reads
/// or writes the tenant's directory before an approval: the onboarding workflow starts with it.
/// </summary>
public sealed partial class TenantGrain
{
    private const string ClaimsReminder = "claims";
    private static readonly TimeSpan SignInLifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan LongestClaimsReminderPeriod = TimeSpan.FromHours(1);

    private IGrainTimer? _expiry;

    public Task<string?> GetOwnerAsync() => Task.FromResult(State.Ownership.Owner);

    public Task<bool> IsOperationVisibleAsync(string partnerId, string operationId) => Task.FromResult(
        State.Ownership.OwnedBy(partnerId)
        || State.Ownership.ReleasedBy(partnerId)
        || State.Ownership.Claims.Exists(c => c.PartnerId == partnerId && c.OperationId == operationId && c.Status != ClaimStatus.Approved));

    public Task<ApprovalRequest?> GetApprovalRequestAsync(string claimId) =>
        Task.FromResult(State.Ownership.Find(claimId) is { } claim
            ? new ApprovalRequest(TenantId, claim.ClaimId, claim.PartnerId, claim.DisplayName,
                claim.Pending && claim.ExpireTime <= time.GetUtcNow() ? ClaimStatus.Expired : claim.Status, claim.ExpireTime)
            : null);

    public async Task BeginApprovalSignInAsync(ApprovalSignInStart start)
    {
        await ExpireClaimsAsync();
        if (State.Ownership.Find(start.ClaimId) is not { Pending: true })
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, Reasons.ClaimNotPending,
                "This approval request is no longer waiting for a decision.");
        }

        var now = time.GetUtcNow();
        State.SignIns.RemoveAll(s => s.ExpireTime <= now);
        if (State.SignIns.Count >= TenantState.MaxSignIns)
        {
            State.SignIns.RemoveAt(0);
        }

        State.SignIns.Add(new StoredSignIn(start.ClaimId, start.StateHash, start.BindingHash, start.Decision, now + SignInLifetime));
        await state.WriteOrDeactivateAsync(this);
    }

    public async Task<ApprovalSignIn> TakeApprovalSignInAsync(string stateHash, string bindingHash)
    {
        var now = time.GetUtcNow();
        var signIn = State.SignIns.Find(s => s.StateHash == stateHash);
        if (signIn is null || signIn.ExpireTime <= now || signIn.BindingHash != bindingHash)
        {
            // Unknown, already used, too old, or opened in a browser that did not start it: one answer for all.
            throw new OrchestratorException(ErrorKind.FailedPrecondition, Reasons.SignInExpired,
                "This sign-in is unknown, was already used, or has expired. Start again from the approval link in this browser.");
        }

        State.SignIns.Remove(signIn);
        await state.WriteOrDeactivateAsync(this);
        return new ApprovalSignIn(signIn.ClaimId, signIn.Decision);
    }

    public async Task<ClaimDecided> DecideClaimAsync(string claimId, ApprovalDecision decision, TenantAdmin admin)
    {
        await ExpireClaimsAsync();
        var now = time.GetUtcNow();
        if (decision == ApprovalDecision.Decline)
        {
            var declined = State.Ownership.Decline(claimId, admin, now);
            State.Ownership = declined.Next;
            State.Notices.Add(Ended(declined.Decided, Reasons.ClaimDeclined,
                $"An administrator of the tenant ({admin.UserPrincipalName}) declined your request to manage it."));
            await state.WriteOrDeactivateAsync(this);
            await SettleAsync();
            return new ClaimDecided(declined.Decided.PartnerId, declined.Decided.Status, declined.Decided.DisplayName);
        }

        if (State.Workflow is { Kind: OperationKind.OffboardTenant })
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, Reasons.OperationInProgress,
                "The tenant is being offboarded by the partner that manages it now. Try again in a few minutes.");
        }

        var change = State.Ownership.Approve(claimId, admin, now);
        var claim = change.Decided;
        foreach (var superseded in change.Superseded)
        {
            State.Notices.Add(Ended(superseded, Reasons.ClaimSuperseded,
                "An administrator of the tenant approved another partner to manage it."));
        }

        if (change.PreviousOwner is { } previous)
        {
            // The previous owner's running checks end with the transfer; their operation says so.
            OperationProgress? report = null;
            if (State.Workflow is { } running)
            {
                running.Outcome = OperationStatus.Failed;
                running.Failure = new OperationFailure((int)ErrorKind.FailedPrecondition, Reasons.TenantTransferred,
                    "An administrator of the tenant handed it to another partner.");
                report = running.Progress;
            }

            State.Notices.Add(new ClaimNotice(previous, State.Workflow?.OperationId, report, WakeSessionWatchers: true));
            LogTransferred(Name, previous, claim.PartnerId, admin.UserPrincipalName);
        }
        else
        {
            // A tenant nobody owned starts afresh; one handed over keeps what was learnt of its directory.
            State.CreateTime = now;
            State.Facts = Domain.Tenants.TenantFacts.None;
            State.Readiness = null;
        }

        State.Ownership = change.Next;
        State.DisplayName = claim.DisplayName;
        State.Settings = claim.Settings;
        State.Lifecycle = TenantLifecycle.Onboarding;
        State.UpdateTime = now;
        State.Version++;
        State.Workflow = WorkflowState.Continue(claim.OperationId, OperationKind.OnboardTenant, TenantWorkflows.Onboarding, 1,
            admin.ObjectId.Length == 0 ? "pre-approved by the operator" : $"approved by {admin.UserPrincipalName}");
        State.OperationId = claim.OperationId;
        await state.WriteOrDeactivateAsync(this);

        await SettleAsync();
        await EnsureWorkflowStartedAsync();

        // The claim's operation was recorded waiting; it shows the approval and the onboarding steps from now on.
        await Operation(claim.OperationId).ReportAsync(State.Workflow.Progress);
        Runner.Kick();
        return new ClaimDecided(claim.PartnerId, claim.Status, claim.DisplayName);
    }

    private async Task<OperationView> WithdrawClaimAsync(TenantClaim claim, string requestId)
    {
        var withdrawn = State.Ownership.Withdraw(claim.ClaimId, time.GetUtcNow());
        State.Ownership = withdrawn.Next;
        var progress = ClaimProgress(claim, StepStatus.Failed, "withdrawn by the partner") with { Status = OperationStatus.Cancelled, ApprovalPath = null };
        State.Notices.Add(new ClaimNotice(claim.PartnerId, claim.OperationId, progress));
        Remember(claim.PartnerId, requestId, null, claim.OperationId);
        await state.WriteOrDeactivateAsync(this);
        await SettleAsync();
        return await OperationAsync(claim.PartnerId, claim.OperationId);
    }

    /// <summary>Records a claim's operation, waiting for approval; idempotent, so a retried create calls it again.</summary>
    private async Task<OperationView> RecordClaimAsync(TenantClaim claim)
    {
        var operation = await Operation(claim.OperationId).StartAsync(new OperationStart(claim.PartnerId, OperationKind.OnboardTenant, Name, ClaimProgress(claim, StepStatus.Running, "waiting for an administrator of the tenant")));
        await Partner(claim.PartnerId).AddOperationAsync(claim.OperationId);
        return operation;
    }

    private OperationProgress ClaimProgress(TenantClaim claim, StepStatus approval, string message)
    {
        var steps = TenantWorkflows.Onboarding.Select((s, i) => new StepView(s.Id, s.Title, i == 0 ? approval : StepStatus.Pending, i == 0 ? message : string.Empty)).ToArray();
        return new OperationProgress(OperationStatus.Running, steps, null, ApprovalPath: ApprovalPath(claim));
    }

    private ClaimNotice Ended(TenantClaim claim, string reason, string message)
    {
        var progress = ClaimProgress(claim, StepStatus.Failed, message) with
        {
            Status = OperationStatus.Failed,
            Failure = new OperationFailure((int)ErrorKind.FailedPrecondition, reason, message),
            ApprovalPath = null,
        };
        return new ClaimNotice(claim.PartnerId, claim.OperationId, progress);
    }

    /// <summary>
    /// Tells operations and partner indexes what decisions ended, then forgets the notices in one write. Every
    /// delivery is idempotent, so a crash before that write only delivers them again.
    /// </summary>
    private async Task SettleAsync()
    {
        if (State.Notices.Count == 0)
        {
            return;
        }

        foreach (var notice in State.Notices)
        {
            if (notice is { OperationId: { } operationId, Report: { } report })
            {
                await Operation(operationId).ReportAsync(report);
            }

            if (!State.Ownership.OwnedBy(notice.PartnerId) && State.Ownership.PendingClaimOf(notice.PartnerId) is null)
            {
                await Partner(notice.PartnerId).RemoveTenantAsync(TenantId);
            }

            if (notice.WakeSessionWatchers)
            {
                await WakeSessionWatchersAsync();
            }
        }

        State.Notices.Clear();
        await state.WriteOrDeactivateAsync(this);
    }

    /// <summary>The previous owner's live session streams check again and end NOT_FOUND.</summary>
    private Task WakeSessionWatchersAsync() => ForEachSessionAsync(session => session.WakeWatchersAsync());

    /// <summary>Ends the claims whose time is up (checked on every use, by a timer while active, and by a reminder).</summary>
    private async Task ExpireClaimsAsync()
    {
        var (next, expired) = State.Ownership.Expire(time.GetUtcNow());
        if (expired.Count > 0)
        {
            State.Ownership = next;
            foreach (var claim in expired)
            {
                State.Notices.Add(Ended(claim, Reasons.ApprovalExpired,
                    "No administrator of the tenant approved your request in time; create the tenant again for a new approval link."));
            }

            await state.WriteOrDeactivateAsync(this);
        }

        await SettleAsync();
    }

    /// <summary>A timer may fire a moment early: whatever is still pending gets the next timer.</summary>
    private async Task OnExpiryTimerAsync()
    {
        await ExpireClaimsAsync();
        ScheduleClaimExpiry();
    }

    private async Task OnClaimsReminderAsync()
    {
        await ExpireClaimsAsync();
        ScheduleClaimExpiry();
        if (State.Ownership.NextExpiry is null && await this.GetReminder(ClaimsReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>A timer for the next expiry while active, and a reminder that survives deactivation and crashes.</summary>
    private void ScheduleClaimExpiry()
    {
        _expiry?.Dispose();
        _expiry = null;
        var next = State.Ownership.NextExpiry;
        if (next is null && State.Notices.Count == 0)
        {
            return;
        }

        var due = next is { } at ? at - time.GetUtcNow() : TimeSpan.Zero;
        due = due < TimeSpan.Zero ? TimeSpan.Zero : due;
        _expiry = this.RegisterGrainTimer(static (grain, _) => grain.OnExpiryTimerAsync(), this,
            new GrainTimerCreationOptions { DueTime = due, Period = Timeout.InfiniteTimeSpan });
        var period = due < ReminderPeriod ? ReminderPeriod : due > LongestClaimsReminderPeriod ? LongestClaimsReminderPeriod : due;
        _ = this.RegisterOrUpdateReminder(ClaimsReminder, period, period);
    }

    private TenantView ClaimView(TenantClaim claim) => new(TenantId, claim.DisplayName, TenantLifecycle.AwaitingApproval, claim.OperationId,
        claim.CreateTime, claim.CreateTime, 0, claim.Settings, null, [], ApprovalPath(claim), claim.ExpireTime,
        [.. State.Ownership.History.Where(e => e.PartnerId == claim.PartnerId)]);

    private string ApprovalPath(TenantClaim claim) => $"tenant-approval/{TenantId}/{claim.ClaimId}";

    /// <summary>The audit timeline as the owner sees it: its own entries in full, other partners' without their id. A claimant sees only its own.</summary>
    private IReadOnlyList<OwnershipEvent> HistoryFor(string partnerId) =>
        [.. State.Ownership.History.Select(e => e.PartnerId == partnerId ? e : e with { PartnerId = string.Empty, ClaimId = string.Empty })];

    private IPartnerGrain Partner(string partnerId) => GrainFactory.GetGrain<IPartnerGrain>(ResourceName.Partner(partnerId));

    private IOperationGrain Operation(string operationId) => GrainFactory.GetGrain<IOperationGrain>(ResourceName.Operation(operationId));

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information,
        Message = "{Tenant} handed from partner {Previous} to partner {Next} by its administrator {Admin}")]
    private partial void LogTransferred(string tenant, string previous, string next, string admin);
}
