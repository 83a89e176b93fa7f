using RAOrchestrator.Abstractions.Barriers;
using RAOrchestrator.Abstractions.Indexes;
using RAOrchestrator.Abstractions.Licensing;
using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Abstractions.ServiceAccounts;
using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Domain.Resources;

namespace RAOrchestrator.Grains.Tenants;

/// <summary>
/// The offboarding steps that leave nothing of the tenant behind, each safe to repeat: a failed offboarding is started
/// again by the next DeleteTenant and finishes, and a later onboarding of the same tenant starts clean.
/// </summary>
public sealed partial class TenantGrain
{
    private ISeatLedgerGrain SeatLedger => GrainFactory.GetGrain<ISeatLedgerGrain>($"{Name}/seatLedger");

    private async Task<StepStatus> RunOffboardingStepAsync(string stepId)
    {
        switch (stepId)
        {
            case TenantWorkflows.CancelSessions:
                // Each session is cancelled, its meeting deleted and the session forgotten; one already forgotten answers at once.
                await ForEachSessionAsync(session => session.CloseForOffboardingAsync());
                return StepStatus.Succeeded;
            case TenantWorkflows.RemoveBarriers:
                await GrainFactory.GetGrain<IBarrierGrain>($"{Name}/barriers").ForgetAsync();
                return StepStatus.Succeeded;
            case TenantWorkflows.ClearIndexes:
                await ClearIndexesAsync();
                return StepStatus.Succeeded;
            default:
                throw new InvalidOperationException($"Unknown workflow step '{stepId}'.");
        }
    }

    /// <summary>Each account deprovisions itself (idempotently); the index empties as they go, so a crash resumes where it stopped.</summary>
    private async Task<StepStatus> DeprovisionServiceAccountsAsync()
    {
        // From here on no account can start: one that raced the API's check is refused by the ledger.
        await SeatLedger.CloseAsync();
        var index = GrainFactory.GetGrain<IKeyIndexGrain>($"{Name}/serviceAccountIndex");
        var deprovisioned = 0;
        while ((await index.ListAsync(null, 100)).Keys is { Count: > 0 } keys)
        {
            foreach (var id in keys)
            {
                var account = GrainFactory.GetGrain<IServiceAccountGrain>($"{Name}/serviceAccounts/{id}");
                if (await account.TryGetAsync() is not null)
                {
                    await account.DeleteAsync();
                    deprovisioned++;
                }

                await index.RemoveAsync(id);
            }
        }

        return deprovisioned > 0 ? StepStatus.Succeeded : StepStatus.Skipped;
    }

    /// <summary>Each index is cleared by one call, so where an index lives can change without this step changing.</summary>
    private async Task ClearIndexesAsync()
    {
        await GrainFactory.GetGrain<IKeyIndexGrain>($"{Name}/serviceAccountIndex").ClearAsync();
        await GrainFactory.GetGrain<IKeyIndexGrain>(ResourceName.SessionIndex(TenantId)).ClearAsync();
        await SeatLedger.ForgetAsync();
    }

    /// <summary>Calls every session in the tenant's session index, page by page.</summary>
    private async Task ForEachSessionAsync(Func<ISessionGrain, Task> call)
    {
        var index = GrainFactory.GetGrain<IKeyIndexGrain>(ResourceName.SessionIndex(TenantId));
        string? after = null;
        KeyPage page;
        do
        {
            page = await index.ListAsync(after, 500);
            foreach (var id in page.Keys)
            {
                await call(GrainFactory.GetGrain<ISessionGrain>($"{Name}/sessions/{id}"));
            }

            after = page.Keys.Count > 0 ? page.Keys[^1] : null;
        }
        while (page.HasMore && after is not null);
    }
}
