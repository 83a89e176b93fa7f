using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using RAOrchestrator.Abstractions.Bulk;
using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Abstractions.Partners;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Grains.Workflows;

namespace RAOrchestrator.Grains.Bulk;

/// <summary>The coordinator: tenants with bounded parallelism, progress, cancel, resume (accounts: BulkOnboardingGrain.Accounts.cs).</summary>
[GrainType("bulkonboarding")]
public sealed partial class BulkOnboardingGrain(
    [PersistentState("bulk", StorageNames.State)] IPersistentState<BulkOnboardingState> state,
    TimeProvider time,
    IOptions<SiloMessagingOptions> messaging,
    BulkAccountPacing pacing,
    ILogger<BulkOnboardingGrain> logger) : Grain, IBulkOnboardingGrain, IRemindable
{
    public const string KeyPrefix = "bulkOnboardings/";
    private const string Reminder = "bulk";
    private const int MaxAttempts = 5;
    private const int MaxReportedResults = 1000;
    private const int ApprovalChecksAtATime = 200;
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan WaitPoll = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ApprovalRecheck = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ItemRetryPause = TimeSpan.FromSeconds(2);

    private WorkflowRunner? _runner;
    private AccountWindow? _accounts;
    private int _provisioningTenants;
    private IDisposable? _pacingShare;
    private IGrainTimer? _flush;
    private readonly SemaphoreSlim _writes = new(1, 1);
    private bool _dirty;

    // Between counting itself at its partner and storing its request (see PartnerGrain.Bulk.cs).
    private bool _starting;

    private BulkOnboardingState State => state.State;

    /// <summary>Runs the bulk in a timer that interleaves with calls (cancel, retries): one run at a time, resumed by its reminder after a crash.</summary>
    private WorkflowRunner Runner => _runner ??= new(this, Reminder, _ => RunAsync(), interleave: true);

    private string OperationId => this.GetPrimaryKeyString()[KeyPrefix.Length..];

    private IOperationGrain Operation => GrainFactory.GetGrain<IOperationGrain>(ResourceName.Operation(OperationId));

    private IPartnerGrain Partner => GrainFactory.GetGrain<IPartnerGrain>(ResourceName.Partner(State.PartnerId));

    /// <summary>The grain key of the bulk onboarding a partner's request id names: the same request always reaches the same grain.</summary>
    public static string KeyFor(string partnerId, string requestId) => KeyPrefix + OperationIdFor(partnerId, requestId);

    public static string OperationIdFor(string partnerId, string requestId) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"bulk|{partnerId}|{requestId}")))[..32];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Exists)
        {
            await LoadResultsAsync();
        }

        if (State.Exists && !State.Finished)
        {
            Start();
        }
    }

    public async Task<OperationView> StartAsync(StartBulkOnboarding command)
    {
        if (State.Exists)
        {
            if (State.PartnerId != command.PartnerId)
            {
                throw new InvalidOperationException("Bulk onboarding keys include the partner; another partner cannot reach this grain.");
            }

            // A retry of the same request: resume if needed, answer with the operation as it is.
            if (!State.Finished)
            {
                await Runner.RememberAsync();
                Start();
            }

            return await Operation.TryGetAsync(command.PartnerId) ?? await RecordOperationAsync();
        }

        // A new request counts against the partner's limit of bulks not done (PARTNER_BULK_LIMIT) before anything is stored.
        var partner = GrainFactory.GetGrain<IPartnerGrain>(ResourceName.Partner(command.PartnerId));
        _starting = true;
        try
        {
            await partner.StartBulkAsync(OperationId);
            await StoreAsync(command);
        }
        catch (Exception ex) when (ex is not OrchestratorException { Reason: Reasons.PartnerBulkLimit })
        {
            // Not stored: give the slot back now rather than when the partner next recounts (best effort).
            await partner.FinishBulkAsync(OperationId).ContinueWith(static _ => { }, TaskScheduler.Current);
            throw;
        }
        finally
        {
            _starting = false;
        }

        var operation = await RecordOperationAsync();
        Start();
        return operation;
    }

    public Task<bool> IsRunningAsync() => Task.FromResult(_starting || State is { Exists: true, Finished: false });

    /// <summary>The plans go to their parts first: once the state exists, every plan it counts can be read.</summary>
    private async Task StoreAsync(StartBulkOnboarding command)
    {
        var parts = BulkPlanParts.Split(command.Tenants);
        await Task.WhenAll(parts.Select((tenants, part) => Plan(part).StoreTenantsAsync(tenants)));
        var partOf = parts.SelectMany((tenants, part) => tenants.Select(tenant => (tenant.TenantId, part))).ToDictionary(p => p.TenantId, p => p.part, StringComparer.Ordinal);

        State.Exists = true;
        State.PartnerId = command.PartnerId;
        State.MaxParallelism = command.MaxParallelism;
        State.Items = command.Tenants.Select(t => new BulkItemState
        {
            // Names and settings stay in the plan parts (ProcessAsync reads them): the coordinator keeps ids and counts.
            TenantId = t.TenantId,
            Accounts = t.ServiceAccounts.Count,
            PlanPart = partOf[t.TenantId],
        }).ToList();
        await state.WriteOrDeactivateAsync(this);
    }

    public async Task<OperationView?> CancelAsync(string partnerId)
    {
        if (!State.Exists || State.PartnerId != partnerId)
        {
            return null;
        }

        if (!State.Finished && !State.CancelRequested)
        {
            State.CancelRequested = true;
            await WriteAsync();
            Start();
        }

        return await Operation.TryGetAsync(partnerId);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (State.Finished)
        {
            // Done, but the reminder is still here: the partner may not have heard; tell it again, then forget.
            return ReleaseAsync();
        }

        Start();
        return Task.CompletedTask;
    }

    /// <summary>Done: the partner stops counting this bulk, then the reminder goes (kept until the partner has heard).</summary>
    private async Task ReleaseAsync()
    {
        await Partner.FinishBulkAsync(OperationId);
        await Runner.ForgetAsync();
    }

    /// <summary>Records the operation, lists it with the partner and registers the reminder that resumes the bulk after a crash.</summary>
    private Task<OperationView> RecordOperationAsync() =>
        Runner.RecordAsync(OperationId, new OperationStart(State.PartnerId, OperationKind.BulkOnboarding, $"partners/{State.PartnerId}", Progress()));

    /// <summary>Runs the bulk (a run in flight carries on) and flushes its progress every second.</summary>
    private void Start()
    {
        if (!Runner.Running)
        {
            Runner.Kick();
        }

        _flush ??= this.RegisterGrainTimer(static (grain, _) => grain.FlushAsync(), this,
            new GrainTimerCreationOptions { DueTime = FlushEvery, Period = FlushEvery, Interleave = true });
    }

    private async Task RunAsync()
    {
        if (State.Finished)
        {
            return;
        }

        try
        {
            // Everything the run causes in Graph (through the tenant and account grains) counts against this partner's share.
            DirectoryCaller.Set(State.PartnerId);
            if (!Runner.Recorded(OperationId))
            {
                // A crash between storing the request and recording its operation: record it before reporting to it.
                await RecordOperationAsync();
            }

            // Items a crash left running start again: the tenant grain answers a repeated request id with its first result.
            foreach (var item in State.Items.Where(i => i.Status == BulkItemStatus.Running))
            {
                item.Status = BulkItemStatus.Pending;
                item.AccountsStarted = false;
            }

            await ProcessItemsAsync();
            foreach (var item in State.Items.Where(i => i.Status is BulkItemStatus.Pending or BulkItemStatus.AwaitingApproval))
            {
                item.Status = BulkItemStatus.Cancelled;
                item.ApprovalPath = null;
            }

            State.Finished = true;
            _dirty = true;
            await FlushAsync();
            await ReleaseAsync();
            _flush?.Dispose();
            _flush = null;
        }
        catch (Exception ex)
        {
            LogInterrupted(ex, OperationId);
        }
    }

    /// <summary>
    /// Keeps up to the bulk's parallelism of items in flight until every item is settled or the bulk is cancelled:
    /// an item starts as soon as a slot frees, and tenants waiting for approval are asked again every
    /// <see cref="ApprovalRecheck"/> whatever is in flight, so a tenant approved while a slow one is being provisioned
    /// starts without waiting for it. Items never interleave with themselves: the loop returns only once nothing it
    /// started is in flight.
    /// </summary>
    private async Task ProcessItemsAsync()
    {
        var parallelism = Math.Clamp(State.MaxParallelism, 1, 64);
        var inFlight = new List<Task>(parallelism);
        var recheckAt = DateTimeOffset.MinValue;
        try
        {
            while (inFlight.Count > 0 || !State.CancelRequested && State.Items.Any(i => i.Status is BulkItemStatus.Pending or BulkItemStatus.AwaitingApproval))
            {
                if (!State.CancelRequested && time.GetUtcNow() >= recheckAt)
                {
                    await RecheckApprovalsAsync();
                    recheckAt = time.GetUtcNow() + ApprovalRecheck;
                }

                foreach (var item in State.Items.Where(i => i.Status == BulkItemStatus.Pending).Take(parallelism - inFlight.Count).ToArray())
                {
                    if (State.CancelRequested)
                    {
                        break;
                    }

                    item.Status = BulkItemStatus.Running;
                    _dirty = true;
                    inFlight.Add(ProcessAsync(item));
                }

                // Wakes when an item is done (its slot is free) or when the tenants waiting for approval are due a look
                // (after a cancel, only the items in flight are waited for).
                using var wake = new CancellationTokenSource();
                var due = State.CancelRequested ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(Math.Max(0, (recheckAt - time.GetUtcNow()).Ticks));
                await Task.WhenAny([.. inFlight, Task.Delay(due, time, wake.Token)]);
                await wake.CancelAsync();
                inFlight.RemoveAll(t => t.IsCompleted);
            }
        }
        finally
        {
            // A failure of the loop itself (asking after approvals) ends this run only once its items are settled.
            await Task.WhenAll(inFlight);
        }
    }

    /// <summary>Writes state and reports progress at most once a second, not once per tenant.</summary>
    private async Task FlushAsync()
    {
        if (!_dirty)
        {
            return;
        }

        _dirty = false;
        await WriteAsync(report: true);
    }

    /// <summary>
    /// The run loop, the flush timer and calls interleave: one write (and progress report) at a time keeps the etag
    /// chain intact and the reported versions in order.
    /// </summary>
    private async Task WriteAsync(bool report = false)
    {
        await _writes.WaitAsync();
        try
        {
            await StoreResultsAsync();
            await state.WriteOrDeactivateAsync(this);
            if (report)
            {
                await Operation.ReportAsync(Progress());
            }
        }
        finally
        {
            _writes.Release();
        }
    }

    private OperationProgress Progress()
    {
        var items = State.Items;
        int Count(BulkItemStatus status) => items.Count(i => i.Status == status);
        var results = items
            .Where(i => i.Status is BulkItemStatus.Failed or BulkItemStatus.NeedsAttention)
            .Select(i => new BulkItemResult(ResourceName.Tenant(i.TenantId), i.Status == BulkItemStatus.Failed ? "FAILED" : "NEEDS_ATTENTION", i.Reason, i.Message))
            .Concat(State.AccountFailures)
            .Take(MaxReportedResults)
            .ToArray();
        var approvals = items.Where(i => i is { Status: BulkItemStatus.AwaitingApproval, ApprovalPath: not null })
            .Take(MaxReportedResults).Select(i => new BulkPendingApproval(ResourceName.Tenant(i.TenantId), i.ApprovalPath!)).ToArray();
        var bulk = new BulkProgress(items.Count, Count(BulkItemStatus.Pending), Count(BulkItemStatus.Running), Count(BulkItemStatus.Succeeded),
            Count(BulkItemStatus.NeedsAttention), Count(BulkItemStatus.Failed), Count(BulkItemStatus.Cancelled), results, AccountProgress(),
            Count(BulkItemStatus.AwaitingApproval), approvals);
        var status = !State.Finished
            ? (items.Any(i => i.Status != BulkItemStatus.Pending) ? OperationStatus.Running : OperationStatus.Pending)
            : State.CancelRequested ? OperationStatus.Cancelled : OperationStatus.Succeeded;
        return new OperationProgress(status, [], null, bulk);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk onboarding {Operation} interrupted; its reminder will resume it")]
    private partial void LogInterrupted(Exception exception, string operation);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bulk onboarding item {Tenant} will be retried")]
    private partial void LogItemRetry(Exception exception, string tenant);
}
