using RAOrchestrator.Abstractions.Bulk;
using RAOrchestrator.Abstractions.Indexes;
using RAOrchestrator.Abstractions.Licensing;
using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Abstractions.ServiceAccounts;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Tenants;

namespace RAOrchestrator.Grains.Bulk;

/// <summary>
/// The service-account plans: once a tenant is ACTIVE its accounts are provisioned through their own grains, each
/// with the bulk operation's request id, so the saga, the seat ledger and idempotency are the ones CreateServiceAccount
/// uses, and a resumed or retried bulk onboarding gets each account's first answer instead of a second account.
/// </summary>
public sealed partial class BulkOnboardingGrain
{
    /// <summary>Accounts of one tenant admitted together (see <see cref="AccountWindow"/>): the gateway batches them into $batch calls of 10 accounts.</summary>
    private const int AccountsAtOnce = 20;

    private string AccountRequestId => $"bulk.{OperationId}";

    /// <summary>
    /// This coordinator's accounts in flight: never more than its share of the silo's Graph write budget serves in a
    /// third of the grain-call timeout (<see cref="BudgetHorizon"/>), and narrowed whenever a call takes more than half
    /// of it, so whatever else is slow (the machine, storage, the ledger) no call waits until it times out. Real time:
    /// the timeout runs on the runtime's clock, not the grains'.
    /// </summary>
    private AccountWindow Accounts => _accounts ??= new AccountWindow(messaging.Value.ResponseTimeout / 2, TimeProvider.System);

    private TimeSpan BudgetHorizon => messaging.Value.ResponseTimeout / 3;

    private async Task ProvisionAccountsAsync(BulkItemState item, TenantView tenant)
    {
        var tenantId = item.TenantId;
        var plan = await GrainFactory.GetGrain<IBulkPlanGrain>(BulkPlanParts.Key(OperationId, item.PlanPart)).GetAsync(tenantId);

        // A repeat of the phase (after a crash or a transient failure) counts again from the accounts' own answers.
        var prefix = ResourceName.Tenant(tenantId) + "/";
        State.AccountFailures.RemoveAll(f => f.Target.StartsWith(prefix, StringComparison.Ordinal));
        (item.AccountsSucceeded, item.AccountsFailed, item.AccountsCancelled, item.AccountsStarted) = (0, 0, 0, true);
        _dirty = true;

        // Onboarding read the inventory moments ago: the ledger takes it instead of reading it from Graph again.
        var ledger = GrainFactory.GetGrain<ISeatLedgerGrain>($"{ResourceName.Tenant(tenantId)}/seatLedger");
        var licences = await GrainFactory.GetGrain<ITenantGrain>(ResourceName.Tenant(tenantId)).GetLicencesAsync(State.PartnerId);
        IReadOnlyList<LicenceSku> inventory;
        if (licences is not null)
        {
            await ledger.SeedAsync(licences.Skus, licences.ReadAt);
            inventory = licences.Skus;
        }
        else
        {
            inventory = (await ledger.SummaryAsync(refresh: false)).Select(s => new LicenceSku(s.SkuId, s.PartNumber, s.Enabled, s.Consumed, [])).ToArray();
        }

        // What the tenant itself decides (its domains, its SKUs) fails the account before anything is made.
        var ready = new List<(BulkServiceAccount Account, ServiceAccountSpec Spec)>();
        foreach (var account in plan)
        {
            try
            {
                if (ServiceAccountRules.UpnOutsideDomains(account.UserPrincipalName, tenant.VerifiedDomains, "user_principal_name") is { } outside)
                {
                    throw outside;
                }

                var skus = ServiceAccountRules.Skus(inventory, tenant.Settings.Licences, account.BarrierLicence);
                ready.Add((account, new ServiceAccountSpec(account.DisplayName, account.UserPrincipalName, account.UsageLocation, account.Attributes, account.BarrierLicence, skus)));
            }
            catch (OrchestratorException refused)
            {
                AccountFailed(item, AccountName(tenantId, account), refused.Reason, refused.Message);
            }
        }

        if (ready.Count == 0)
        {
            return;
        }

        await GrainFactory.GetGrain<IKeyIndexGrain>($"{ResourceName.Tenant(tenantId)}/serviceAccountIndex").AddRangeAsync(ready.Select(r => r.Account.ServiceAccountId).ToArray());
        if (_provisioningTenants++ == 0)
        {
            _pacingShare = pacing.Provisioning();
        }

        try
        {
            var started = new List<Task>();
            foreach (var group in ready.Chunk(AccountsAtOnce))
            {
                // Flow control: the group starts once the coordinator's accounts in flight leave it room (AccountWindow),
                // within this coordinator's share of the silo's Graph write budget.
                Accounts.Ceiling = pacing.CeilingFor(BudgetHorizon);
                await Accounts.AdmitAsync(group.Length);

                // The account grains' calls to the gateway carry the hint that they belong together: one $batch per 10 accounts.
                DirectoryBatchHint.Set($"{OperationId}/{tenantId}/{Guid.NewGuid():N}", group.Length);
                started.AddRange(group.Select(r => ProvisionAccountAsync(item, AccountName(tenantId, r.Account), r.Spec)));
                DirectoryBatchHint.Clear();
            }

            await Task.WhenAll(started);
        }
        finally
        {
            if (--_provisioningTenants == 0)
            {
                _pacingShare?.Dispose();
                _pacingShare = null;
            }
        }
    }

    /// <summary>One account, admitted by <see cref="Accounts"/> for its first call; a retry waits to be admitted again.</summary>
    private async Task ProvisionAccountAsync(BulkItemState item, string name, ServiceAccountSpec spec)
    {
        if (State.CancelRequested)
        {
            Accounts.Leave();
            item.AccountsCancelled++;
            _dirty = true;
            return;
        }

        var account = GrainFactory.GetGrain<IServiceAccountGrain>(name);
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > 1)
            {
                await Accounts.AdmitAsync(1);
            }

            var started = Accounts.Started();
            try
            {
                // This coordinator resumes the account (it calls again until it hears the end, and its own reminder
                // resumes it after a crash), so the account needs no reminder of its own until it is let go below.
                var view = await account.CreateAsync(AccountRequestId, spec, callerResumes: true);
                if (view.Status == ServiceAccountStatus.Active)
                {
                    item.AccountsSucceeded++;
                    _dirty = true;
                    return;
                }

                // Still PROVISIONING: Graph was unavailable; the same request id resumes the saga where it paused.
            }
            catch (OrchestratorException refused) when (refused.Kind != ErrorKind.Unavailable)
            {
                AccountFailed(item, name, refused.Reason, refused.Message);
                return;
            }
            catch (Exception ex)
            {
                LogItemRetry(ex, name);
            }
            finally
            {
                Accounts.Answered(started);
            }

            if (attempt >= MaxAttempts)
            {
                AccountFailed(item, name, Reasons.Timeout, await LetGoAsync(account, name)
                    ? $"Still provisioning after {MaxAttempts} attempts (Graph or the service stayed unavailable); the account finishes by itself, and retrying the request reports it."
                    : $"Still provisioning after {MaxAttempts} attempts (Graph or the service stayed unavailable); reading the account or retrying the request resumes it.");
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(2 * attempt), time);
        }
    }

    /// <summary>Hands an account this coordinator stops calling to its own reminder; false when even that call failed.</summary>
    private async Task<bool> LetGoAsync(IServiceAccountGrain account, string name)
    {
        try
        {
            await account.ResumeAsync();
            return true;
        }
        catch (Exception ex)
        {
            LogItemRetry(ex, name);
            return false;
        }
    }

    private void AccountFailed(BulkItemState item, string name, string reason, string message)
    {
        item.AccountsFailed++;
        if (State.AccountFailures.Count < MaxReportedResults)
        {
            State.AccountFailures.Add(new BulkItemResult(name, "FAILED", reason, AccountMessage(message)));
        }

        _dirty = true;
    }

    private static string AccountName(string tenantId, BulkServiceAccount account) =>
        $"{ResourceName.Tenant(tenantId)}/serviceAccounts/{account.ServiceAccountId}";

    /// <summary>Accounts by state, adding up to the total: those of tenants still to run are pending, of tenants that did not become ACTIVE skipped.</summary>
    private BulkAccountProgress AccountProgress()
    {
        int total = 0, pending = 0, running = 0, succeeded = 0, failed = 0, skipped = 0, cancelled = 0;
        foreach (var item in State.Items)
        {
            total += item.Accounts;
            succeeded += item.AccountsSucceeded;
            failed += item.AccountsFailed;
            cancelled += item.AccountsCancelled;
            var rest = item.Accounts - item.AccountsSucceeded - item.AccountsFailed - item.AccountsCancelled;
            switch (item.Status)
            {
                case BulkItemStatus.Pending:
                    pending += rest;
                    break;
                case BulkItemStatus.Running when item.AccountsStarted:
                    running += rest;
                    break;
                case BulkItemStatus.Running:
                    pending += rest;
                    break;
                case BulkItemStatus.Cancelled:
                    cancelled += rest;
                    break;
                default:
                    skipped += rest;
                    break;
            }
        }

        return new BulkAccountProgress(total, pending, running, succeeded, failed, skipped, cancelled);
    }
}
