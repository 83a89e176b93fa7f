using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Tenants;

namespace RAOrchestrator.Grains.Tenants;

/// <summary>
/// The steps of the tenant's workflows (TenantWorkflows.cs lists them): registration and the readiness checks here,
/// offboarding in TenantGrain.Offboarding.cs. Each is safe to repeat: a crash repeats the steps since the last write.
/// </summary>
public sealed partial class TenantGrain
{
    private async Task<StepStatus> RunStepAsync(string stepId)
    {
        var partner = Partner(State.PartnerId);
        switch (stepId)
        {
            case TenantWorkflows.AwaitApproval:
                // Done by the approval itself; a workflow only starts once its claim is approved.
                return StepStatus.Succeeded;
            case TenantWorkflows.RegisterWithPartner:
                await partner.AddTenantAsync(TenantId);
                await SeatLedger.OpenAsync();
                return StepStatus.Succeeded;
            case TenantWorkflows.UnregisterFromPartner:
                await partner.RemoveTenantAsync(TenantId);
                return StepStatus.Succeeded;
            case TenantWorkflows.DeprovisionServiceAccounts:
                return await DeprovisionServiceAccountsAsync();
            case TenantWorkflows.VerifyConsent:
                return await VerifyConsentAsync();
            case TenantWorkflows.ReadOrganization:
                return await WithConsentAsync(async () =>
                    State.Facts = State.Facts with { Organization = await directory.GetOrganizationAsync(TenantId, _stepCancellation) });
            case TenantWorkflows.ReadLicences:
                return await WithConsentAsync(async () =>
                    State.Facts = State.Facts with { Licences = await directory.GetLicenceInventoryAsync(TenantId, _stepCancellation) });
            case TenantWorkflows.ProbeMeetingAccess:
                return await WithConsentAsync(ProbeMeetingAccessAsync);
            case TenantWorkflows.ReadSignInPrerequisites:
                return await WithConsentAsync(ReadSignInPrerequisitesAsync);
            case TenantWorkflows.PublishReadiness:
                State.Facts = State.Facts with { CheckedAt = time.GetUtcNow() };
                Publish();
                return StepStatus.Succeeded;
            default:
                return await RunOffboardingStepAsync(stepId);
        }
    }

    /// <summary>A refused consent is a finding of the report, not a failure of the workflow.</summary>
    private async Task<StepStatus> VerifyConsentAsync()
    {
        try
        {
            await directory.VerifyConsentAsync(TenantId, _stepCancellation);
            State.Facts = TenantFacts.None with { ConsentVerified = true };
        }
        catch (OrchestratorException ex) when (ex.Kind == ErrorKind.FailedPrecondition)
        {
            State.Facts = TenantFacts.None with { ConsentFailure = new FactFailure(ex.Reason, ex.Message) };
        }

        return StepStatus.Succeeded;
    }

    private async Task<StepStatus> WithConsentAsync(Func<Task> read)
    {
        if (!State.Facts.ConsentVerified)
        {
            return StepStatus.Skipped;
        }

        await read();
        return StepStatus.Succeeded;
    }

    private async Task ProbeMeetingAccessAsync()
    {
        try
        {
            State.Facts = State.Facts with { ApplicationAccessPolicy = await directory.ProbeApplicationAccessPolicyAsync(TenantId, _stepCancellation), ApplicationAccessPolicyFailure = null };
        }
        catch (OrchestratorException ex) when (ex.Kind == ErrorKind.FailedPrecondition)
        {
            State.Facts = State.Facts with { ApplicationAccessPolicy = null, ApplicationAccessPolicyFailure = new FactFailure(ex.Reason, ex.Message) };
        }
    }

    /// <summary>The pass policy and the app's permissions; a refused read is a finding of the report (the checks do not block).</summary>
    private async Task ReadSignInPrerequisitesAsync()
    {
        var permissions = await directory.GetAppPermissionsAsync(TenantId, _stepCancellation);
        try
        {
            var policy = await passes.GetPassPolicyAsync(TenantId, _stepCancellation);
            State.Facts = State.Facts with { AppPermissions = permissions, PassPolicy = policy, PassPolicyFailure = null };
        }
        catch (OrchestratorException ex) when (ex.Kind == ErrorKind.FailedPrecondition)
        {
            State.Facts = State.Facts with { AppPermissions = permissions, PassPolicy = null, PassPolicyFailure = new FactFailure(ex.Reason, ex.Message) };
        }
    }

    private ReadinessReport CurrentReport() =>
        State.Readiness ?? ReadinessRules.Evaluate(State.Facts, State.Settings, TenantId, mspApp.ClientId, time.GetUtcNow());

    /// <summary>Recomputes the report from facts and settings; the tenant is active exactly when it is ready.</summary>
    private void Publish()
    {
        State.Readiness = ReadinessRules.Evaluate(State.Facts, State.Settings, TenantId, mspApp.ClientId, State.Facts.CheckedAt ?? time.GetUtcNow());
        State.Lifecycle = State.Readiness.Ready ? TenantLifecycle.Active : TenantLifecycle.NeedsAttention;
    }
}
