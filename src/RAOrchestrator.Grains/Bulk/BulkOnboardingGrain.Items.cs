using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Resources;

namespace RAOrchestrator.Grains.Bulk;

/// <summary>
/// One tenant of the bulk: created (or found, when this partner manages it already) through the tenant grain with the
/// bulk's request id, so a resumed run gets the first answer; waiting for its administrator's approval without holding
/// a slot; watched until its onboarding finishes; then its accounts (BulkOnboardingGrain.Accounts.cs).
/// </summary>
public sealed partial class BulkOnboardingGrain
{
    private async Task ProcessAsync(BulkItemState item)
    {
        var tenantId = item.TenantId;
        var tenant = GrainFactory.GetGrain<ITenantGrain>(ResourceName.Tenant(tenantId));
        try
        {
            OperationView operation;
            try
            {
                var spec = await RequestedAsync(item);
                var created = await tenant.CreateAsync(new CreateTenant(State.PartnerId, $"bulk.{OperationId}", spec.DisplayName, spec.Settings));
                operation = created.Operation;
            }
            catch (OrchestratorException ex) when (ex.Kind == ErrorKind.AlreadyExists)
            {
                // Already under management: by this partner (from earlier work) it counts as it stands; otherwise it fails.
                var existing = await tenant.FindAsync(State.PartnerId) ?? throw AlreadyManaged(ex);
                operation = await GrainFactory.GetGrain<IOperationGrain>(ResourceName.Operation(existing.OperationId)).TryGetAsync(State.PartnerId) ?? throw AlreadyManaged(ex);
            }

            if (!operation.Done && operation.ApprovalPath is { } approval)
            {
                // Waits for the tenant's administrator without holding a slot; RecheckApprovalsAsync picks it up again.
                item.Status = BulkItemStatus.AwaitingApproval;
                item.ApprovalPath = ApprovalPathFor(item, approval);
                _dirty = true;
                return;
            }

            item.ApprovalPath = null;
            var watched = GrainFactory.GetGrain<IOperationGrain>(ResourceName.Operation(operation.OperationId));
            while (!operation.Done)
            {
                // The operation was just created or found, so "not found" can only be a transient view of it (a silo
                // killed while its grain moved): try the item again, which finds the tenant and its operation anew.
                operation = await watched.WatchAsync(State.PartnerId, operation.Version, WaitPoll) ?? throw new OrchestratorException(ErrorKind.Unavailable, Reasons.Timeout,
                    $"{ResourceName.Operation(operation.OperationId)} was not visible while it was watched; the item is tried again.");
            }

            var view = await tenant.TryGetAsync(State.PartnerId);
            if (view?.Lifecycle == TenantLifecycle.Active)
            {
                if (item.Accounts > 0)
                {
                    await ProvisionAccountsAsync(item, view);
                }

                Finish(item, BulkItemStatus.Succeeded, string.Empty, string.Empty);
            }
            else if (operation.Failure is { Reason: Reasons.ClaimDeclined or Reasons.ClaimSuperseded or Reasons.ApprovalExpired } refused)
            {
                Finish(item, BulkItemStatus.Failed, refused.Reason, refused.Message);
            }
            else
            {
                var outstanding = view?.Readiness?.Outstanding.Where(c => c.Blocking).ToArray() ?? [];
                Finish(item, BulkItemStatus.NeedsAttention,
                    outstanding.FirstOrDefault()?.Reason ?? operation.Failure?.Reason ?? Reasons.TenantNotReady,
                    operation.Failure?.Message ?? string.Join("; ", outstanding.Select(c => c.Message)));
            }
        }
        catch (OrchestratorException ex) when (ex.Kind != ErrorKind.Unavailable)
        {
            Finish(item, BulkItemStatus.Failed, ex.Reason, ex.Message);
        }
        catch (Exception ex)
        {
            // Transient (a timeout, a silo or storage away): try the item again later, a bounded number of times.
            item.Attempts++;
            if (item.Attempts >= MaxAttempts)
            {
                Finish(item, BulkItemStatus.Failed, Reasons.Timeout, $"Gave up after {MaxAttempts} attempts: the service stayed unavailable. Retry the request to resume.");
            }
            else
            {
                // Tried again after a pause, holding its slot meanwhile: not at once against a service that just failed.
                LogItemRetry(ex, tenantId);
                await Task.Delay(ItemRetryPause, time);
                item.Status = BulkItemStatus.Pending;
                item.AccountsStarted = false;
            }
        }
    }

    /// <summary>
    /// Tenants waiting for approval go back to pending once their claim was decided (or expired): the item then finds
    /// its operation again through the same request id. A bounded number is asked each time.
    /// </summary>
    private async Task RecheckApprovalsAsync()
    {
        var waiting = State.Items.Where(i => i.Status == BulkItemStatus.AwaitingApproval).Take(ApprovalChecksAtATime).ToArray();
        if (waiting.Length == 0)
        {
            return;
        }

        var views = await Task.WhenAll(waiting.Select(i => GrainFactory.GetGrain<ITenantGrain>(ResourceName.Tenant(i.TenantId)).FindAsync(State.PartnerId)));
        for (var n = 0; n < waiting.Length; n++)
        {
            if (views[n]?.Lifecycle != TenantLifecycle.AwaitingApproval || waiting[n].ApprovalPath is null && HeldApprovalPaths() < MaxReportedResults)
            {
                waiting[n].Status = BulkItemStatus.Pending;
                waiting[n].ApprovalPath = null;
                _dirty = true;
            }
        }

        // The others go to the back of the line, so every waiting tenant is asked in turn.
        foreach (var item in waiting.Where(i => i.Status == BulkItemStatus.AwaitingApproval))
        {
            State.Items.Remove(item);
            State.Items.Add(item);
        }
    }

    private static OrchestratorException AlreadyManaged(OrchestratorException refusal) => new(refusal.Kind, refusal.Reason, refusal.Message);

    private void Finish(BulkItemState item, BulkItemStatus status, string reason, string message)
    {
        item.Status = status;
        item.Reason = reason;
        item.Message = MessageFor(item, message);
        _dirty = true;
    }
}
