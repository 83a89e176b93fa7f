using RAOrchestrator.Abstractions.Licensing;
using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Abstractions.ServiceAccounts;

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
            case TenantWorkflows.ClearIndexes:
                await ClearIndexesAsync();
                return StepStatus.Succeeded;
            default:
                throw new InvalidOperationException($"Unknown workflow step '{stepId}'.");
        }
    }

    /// <summary>Each index is cleared by one call, so where an index lives can change without this step changing.</summary>
    private async Task ClearIndexesAsync()
    {
        await GrainFactory.GetGrain<IKeyIndexGrain>($"{Name}/serviceAccountIndex").ClearAsync();
        await GrainFactory.GetGrain<IKeyIndexGrain>($"{Name}/sessionIndex").ClearAsync();
        await SeatLedger.ForgetAsync();
    }
}
