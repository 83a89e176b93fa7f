using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Grains.Barriers;

/// <summary>Offboarding removes the tenant's barriers: configuration, published version and its stored parts.</summary>
public sealed partial class BarrierGrain
{
    public async Task ForgetAsync()
    {
        if (Runner.Running)
        {
            throw new OrchestratorException(ErrorKind.Unavailable, Reasons.OperationInProgress,
                $"{TenantName} is applying its barriers; they are removed once the apply stops.");
        }

        Runner.Stop();
        if (State.Apply is { } apply)
        {
            await Operation(apply.OperationId).ReportAsync(Progress(0, OperationStatus.Failed) with
            {
                Failure = new OperationFailure((int)ErrorKind.FailedPrecondition, Reasons.TenantNotActive, $"{TenantName} was offboarded before its barriers were applied."),
            });
            await ClearPartsAsync(apply.Version, parts: null);
        }

        if (State.Published is { } published)
        {
            await ClearPartsAsync(published.Version, published.Parts);
        }

        await Runner.ForgetAsync();
        // Version numbers are never handed out twice (checks may hold a version they loaded), even after a new onboarding.
        state.State = new BarrierState { LastVersion = State.LastVersion };
        await WriteAsync();
    }

    /// <summary>The header and shards of one version; an apply that stopped may have stored any number of shards, so those go until one is missing.</summary>
    private async Task ClearPartsAsync(long version, int? parts)
    {
        await Part(version, "header").ClearAsync();
        for (var i = 0; parts is null ? await Part(version, $"shard-{i}").GetAsync() is not null : i < parts; i++)
        {
            await Part(version, $"shard-{i}").ClearAsync();
        }
    }
}
