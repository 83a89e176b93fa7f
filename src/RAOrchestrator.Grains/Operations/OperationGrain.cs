using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Resources;

namespace RAOrchestrator.Grains.Operations;

[GrainType("operation")]
public sealed class OperationGrain(
    [PersistentState("operation", StorageNames.State)] IPersistentState<OperationState> state,
    TimeProvider time,
    IHostApplicationLifetime host) : Grain, IOperationGrain, IHoldsWatches
{
    // Completed each time the version moves; watchers wait on it without holding the grain.
    private TaskCompletionSource _changed = NewSignal();

    // What storage holds. Readers see only this: a watch interleaves with a report, and the report's change is not
    // theirs to see until its write succeeds (a failed write drops the activation and the change with it).
    private OperationView? _stored;

    private OperationState State => state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _stored = State.Exists ? ToView() : null;
        return Task.CompletedTask;
    }

    private string OperationId => this.GetPrimaryKeyString()[(ResourceName.OperationsCollection.Length + 1)..];

    public async Task<OperationView> StartAsync(OperationStart start)
    {
        if (_stored is not null)
        {
            return _stored;
        }

        var now = time.GetUtcNow();
        State.Exists = true;
        State.PartnerId = start.PartnerId;
        State.Kind = start.Kind;
        State.Target = start.Target;
        State.CreateTime = now;
        Apply(start.Progress, now);
        await StoreAsync();
        Telemetry.OperationsStarted.Add(1, new KeyValuePair<string, object?>("operation.kind", start.Kind.ToString()));
        return _stored!;
    }

    public async Task<OperationView> ReportAsync(OperationProgress progress)
    {
        if (_stored is null || Same(progress))
        {
            return _stored!;
        }

        var wasDone = _stored.Done;
        Apply(progress, time.GetUtcNow());
        await StoreAsync();
        var view = _stored;
        if (view.Done && !wasDone)
        {
            var tags = new TagList { { "operation.kind", State.Kind.ToString() }, { "operation.state", State.Status.ToString() } };
            Telemetry.OperationsCompleted.Add(1, tags);
            Telemetry.OperationDuration.Record((State.UpdateTime - State.CreateTime).TotalSeconds, tags);
        }

        return view;
    }

    public async Task<OperationView?> TryGetAsync(string partnerId) =>
        await VisibleAsync(partnerId) ? _stored : null;

    public async Task<OperationView?> WatchAsync(string partnerId, long afterVersion, TimeSpan maxWait)
    {
        if (!await VisibleAsync(partnerId))
        {
            return null;
        }

        if (_stored!.Version <= afterVersion && !_stored.Done)
        {
            await WatchWait.ForChangeAsync(_changed.Task, maxWait, time, host);
        }

        // The tenant may have been handed to another partner while this watcher waited.
        return await VisibleAsync(partnerId) ? _stored : null;
    }

    /// <summary>
    /// The partner's own operation, and, when it acts on a tenant, only while that partner owns the tenant (or it is
    /// the operation of its claim that never became ownership): a tenant handed to another partner takes its
    /// operations' visibility with it.
    /// </summary>
    private async Task<bool> VisibleAsync(string partnerId)
    {
        if (_stored is null || State.PartnerId != partnerId)
        {
            return false;
        }

        return ResourceName.TenantOf(State.Target) is not { } tenantId
            || await GrainFactory.GetGrain<ITenantGrain>(ResourceName.Tenant(tenantId)).IsOperationVisibleAsync(partnerId, OperationId);
    }

    private bool Same(OperationProgress progress) =>
        progress.Status == State.Status && progress.Failure == State.Failure && progress.Steps.SequenceEqual(State.Steps)
        && progress.ApprovalPath == State.ApprovalPath
        && (progress.Bulk is null ? State.Bulk is null : progress.Bulk.Equivalent(State.Bulk));

    private void Apply(OperationProgress progress, DateTimeOffset now)
    {
        State.Status = progress.Status;
        State.Steps = [.. progress.Steps];
        State.Failure = progress.Failure;
        State.Bulk = progress.Bulk;
        State.ApprovalPath = progress.ApprovalPath;
        State.Version++;
        State.UpdateTime = now;
    }

    /// <summary>Writes the state; only once storage holds it do readers see it and watchers wake.</summary>
    private async Task StoreAsync()
    {
        await state.WriteOrDeactivateAsync(this);
        _stored = ToView();
        Signal();
    }

    void IHoldsWatches.WakeWatches() => Signal();

    private void Signal()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private OperationView ToView() => new(OperationId, State.Kind, State.Status, State.Target, State.Steps, State.Failure, State.Version, State.CreateTime, State.UpdateTime, State.Bulk, State.ApprovalPath);
}
