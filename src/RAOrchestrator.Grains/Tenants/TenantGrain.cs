using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Requests;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.SignInPasses;
using RAOrchestrator.Domain.Tenants;
using RAOrchestrator.Domain.Tenants.Ownership;
using RAOrchestrator.Grains.Workflows;

namespace RAOrchestrator.Grains.Tenants;

[GrainType("tenant")]
public sealed partial class TenantGrain(
    [PersistentState("tenant", StorageNames.State)] IPersistentState<TenantState> state,
    IDirectoryGateway directory,
    ISignInPassGateway passes,
    MspApp mspApp,
    IOptions<OwnershipOptions> ownership,
    TimeProvider time,
    ILogger<TenantGrain> logger) : Grain, ITenantGrain, IRemindable
{
    private const string WorkflowReminder = "workflow";
    private const int MaxProcessedRequests = 256;
    private static readonly TimeSpan ReminderPeriod = WorkflowRunner.ReminderPeriod;

    private WorkflowRunner? _runner;

    private TenantState State => state.State;

    /// <summary>Runs the tenant's workflows (TenantGrain.Workflow.cs): one at a time, resumed by its reminder after a crash.</summary>
    private WorkflowRunner Runner => _runner ??= new(this, WorkflowReminder, RunWorkflowAsync);

    private string TenantId => this.GetPrimaryKeyString()[(ResourceName.TenantsCollection.Length + 1)..];

    private string Name => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Workflow is not null)
        {
            Runner.Kick();
        }

        ScheduleClaimExpiry();
        return Task.CompletedTask;
    }

    public async Task<TenantCreated> CreateAsync(CreateTenant command)
    {
        if (Processed(command.PartnerId, command.RequestId) is { OperationId: { } earlier, Tenant: { } first })
        {
            // The tenant as this partner sees it now (its claim, or the tenant once approved); otherwise the first answer.
            if (State.Ownership.Claims.Find(c => c.OperationId == earlier && c.Pending) is { } waiting)
            {
                return new TenantCreated(ClaimView(waiting), await RecordClaimAsync(waiting));
            }

            var tenant = ViewFor(command.PartnerId) ?? first;
            return new TenantCreated(tenant, await ResumeAfterRetryAsync(command.PartnerId, earlier));
        }

        await ExpireClaimsAsync();
        var now = time.GetUtcNow();
        var claim = new TenantClaim(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), command.PartnerId,
            Guid.NewGuid().ToString("N"), command.DisplayName, command.Settings, now, now + ownership.Value.ClaimLifetime, ClaimStatus.Pending);

        // Refuses a partner that owns the tenant or already waits for it, in the same words whoever else owns or claims it.
        var next = State.Ownership.Claim(claim);
        await Partner(command.PartnerId).AddTenantAsync(TenantId);
        State.Ownership = next;
        Remember(command.PartnerId, command.RequestId, ClaimView(claim), claim.OperationId);
        await state.WriteOrDeactivateAsync(this);
        var operation = await RecordClaimAsync(claim);

        if (State.Ownership.Owner is null && ownership.Value.IsPreApproved(command.PartnerId, TenantId))
        {
            await DecideClaimAsync(claim.ClaimId, ApprovalDecision.Approve, TenantAdmin.Configuration(TenantId));
            return new TenantCreated(ToView(), await OperationAsync(command.PartnerId, claim.OperationId));
        }

        ScheduleClaimExpiry();
        return new TenantCreated(ClaimView(claim), operation);
    }

    public Task<TenantView?> TryGetAsync(string partnerId) => Task.FromResult(Visible(partnerId) ? ToView() : null);

    public Task<TenantSettings?> GetSettingsAsync(string partnerId) => Task.FromResult(Visible(partnerId) ? State.Settings : null);

    public Task<TenantView?> FindAsync(string partnerId) => Task.FromResult(ViewFor(partnerId));

    public Task<TenantLicences?> GetLicencesAsync(string partnerId) =>
        Task.FromResult(Visible(partnerId) && State.Facts.Licences is { } skus
            ? new TenantLicences(skus, State.Facts.CheckedAt ?? State.UpdateTime)
            : null);

    public async Task<TenantView> UpdateAsync(UpdateTenant command)
    {
        if (Processed(command.PartnerId, command.RequestId) is { Tenant: { } earlier })
        {
            return earlier;
        }

        EnsureOwner(command.PartnerId);
        EnsureNotOffboarding();
        EnsureVersion(command.ExpectedVersion);

        var settings = State.Settings with
        {
            Meetings = command.Meetings ?? State.Settings.Meetings,
            Licences = command.Licences ?? State.Settings.Licences,
            ExternalAccessAllowedTenants = command.ExternalAccessAllowedTenants ?? State.Settings.ExternalAccessAllowedTenants,
            MailSender = command.MailSender is null ? State.Settings.MailSender : command.MailSender.Length == 0 ? null : command.MailSender,
        };
        var changed = settings.Meetings != State.Settings.Meetings || settings.Licences != State.Settings.Licences
            || !settings.ExternalAccessAllowedTenants.SequenceEqual(State.Settings.ExternalAccessAllowedTenants)
            || settings.MailSender != State.Settings.MailSender
            || command.DisplayName is { } name && name != State.DisplayName;
        if (changed)
        {
            State.DisplayName = command.DisplayName ?? State.DisplayName;
            State.Settings = settings;
            State.Version++;
            State.UpdateTime = time.GetUtcNow();

            // Confirmed settings are inputs of the report: a checked tenant's readiness follows them at once.
            if (State.Workflow is null && State.Readiness is not null)
            {
                Publish();
            }
        }

        var view = ToView();
        Remember(command.PartnerId, command.RequestId, view, null);
        await state.WriteOrDeactivateAsync(this);
        return view;
    }

    public async Task<OperationView> DeleteAsync(DeleteTenant command)
    {
        if (Processed(command.PartnerId, command.RequestId) is { OperationId: { } earlier })
        {
            return await ResumeAfterRetryAsync(command.PartnerId, earlier);
        }

        if (!Visible(command.PartnerId) && State.Ownership.PendingClaimOf(command.PartnerId) is { } claim)
        {
            return await WithdrawClaimAsync(claim, command.RequestId);
        }

        EnsureVisible(command.PartnerId);
        if (State.Workflow is { Kind: OperationKind.OffboardTenant } offboarding)
        {
            return await OperationAsync(command.PartnerId, offboarding.OperationId);
        }

        // An offboarding that failed starts again (every step is safe to repeat) and finishes what the first left.
        if (State.Workflow is not null)
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, Reasons.OperationInProgress,
                $"{Name} is still onboarding (operations/{State.Workflow.OperationId}); wait for it to finish, then offboard.");
        }

        EnsureVersion(command.ExpectedVersion);

        State.Lifecycle = TenantLifecycle.Offboarding;
        State.Version++;
        State.UpdateTime = time.GetUtcNow();
        return await StartWorkflowAsync(command.PartnerId, command.RequestId, OperationKind.OffboardTenant, TenantWorkflows.Offboarding);
    }

    public async Task<OperationView> CheckReadinessAsync(CheckTenantReadiness command)
    {
        if (Processed(command.PartnerId, command.RequestId) is { OperationId: { } earlier })
        {
            return await ResumeAfterRetryAsync(command.PartnerId, earlier);
        }

        EnsureOwner(command.PartnerId);
        EnsureNotOffboarding();
        if (State.Workflow is { } running)
        {
            if (running.Kind == OperationKind.CheckTenantReadiness)
            {
                return await OperationAsync(command.PartnerId, running.OperationId);
            }

            throw new OrchestratorException(ErrorKind.FailedPrecondition, Reasons.OperationInProgress,
                $"{Name} is still onboarding (operations/{running.OperationId}); its checks are part of it.");
        }

        return await StartWorkflowAsync(command.PartnerId, command.RequestId, OperationKind.CheckTenantReadiness, TenantWorkflows.Recheck);
    }

    public Task<string?> GetRunbookAsync(string partnerId) => Task.FromResult(Visible(partnerId)
        ? TenantRunbook.Generate(TenantId, State.DisplayName, mspApp.ClientId, State.Settings, CurrentReport())
        : null);

    public Task<TenantFederationFacts> GetFederationFactsAsync() => Task.FromResult(new TenantFederationFacts(
        State.Exists && State.Lifecycle == TenantLifecycle.Active, State.Exists ? State.Settings.ExternalAccessAllowedTenants : []));

    public Task ResumeWorkflowAsync() => Runner.RunAsync();

    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName switch
    {
        WorkflowReminder => Runner.RunAsync(),
        ClaimsReminder => OnClaimsReminderAsync(),
        _ => Task.CompletedTask,
    };

    private async Task<OperationView> OperationAsync(string partnerId, string operationId) =>
        await Operation(operationId).TryGetAsync(partnerId)
        ?? throw OrchestratorException.NotFound(ResourceName.Operation(operationId));

    private bool Visible(string partnerId) => State.Exists && State.PartnerId == partnerId;

    /// <summary>Only the owner may change the tenant; a partner whose claim waits is told so, anyone else NOT_FOUND.</summary>
    private void EnsureOwner(string partnerId)
    {
        if (!Visible(partnerId) && State.Ownership.PendingClaimOf(partnerId) is not null)
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, Reasons.TenantNotActive,
                $"{Name} is waiting for an administrator of the tenant to approve you; send them the approval link.");
        }

        EnsureVisible(partnerId);
    }

    private void EnsureVisible(string partnerId)
    {
        if (!Visible(partnerId))
        {
            throw OrchestratorException.NotFound(Name);
        }
    }

    private void EnsureNotOffboarding()
    {
        if (State.Lifecycle == TenantLifecycle.Offboarding)
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, Reasons.TenantNotActive, $"{Name} is being offboarded; it can no longer be changed.");
        }
    }

    private void EnsureVersion(long? expected)
    {
        if (expected is { } version && version != State.Version)
        {
            throw OrchestratorException.EtagMismatch(Name);
        }
    }

    private ProcessedRequest? Processed(string partnerId, string requestId) =>
        Answers.Find(State.ProcessedRequests, RequestKey.Of(partnerId, requestId));

    private void Remember(string partnerId, string requestId, TenantView? view, string? operationId)
    {
        if (RequestKey.Of(partnerId, requestId) is { } key)
        {
            Answers.Add(State.ProcessedRequests, new ProcessedRequest(key, view, operationId));
        }
    }

    private TenantView ToView() => new(TenantId, State.DisplayName, State.Lifecycle, State.OperationId, State.CreateTime, State.UpdateTime, State.Version,
        State.Settings, State.Readiness, State.Facts.Organization?.Domains.Select(d => d.Name).ToArray() ?? [],
        OwnershipHistory: HistoryFor(State.PartnerId));

    /// <summary>The tenant for its owner, the claim for a partner whose claim waits, else null.</summary>
    private TenantView? ViewFor(string partnerId) =>
        Visible(partnerId) ? ToView() : State.Ownership.PendingClaimOf(partnerId) is { } claim ? ClaimView(claim) : null;

}
