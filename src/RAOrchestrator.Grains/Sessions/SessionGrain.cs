using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Sessions;
using RAOrchestrator.Domain.Tenants;
using RAOrchestrator.Grains.Sessions.Storage;

namespace RAOrchestrator.Grains.Sessions;

/// <summary>
/// One session (<see cref="ISessionGrain"/>). Every change is a pure step of <see cref="SessionState"/>, written before
/// the caller hears of it as one <see cref="SessionDelta"/> row (<see cref="SessionLog"/>; the whole state only while
/// scheduling and at compaction). The clock is applied by a grain timer at the next deadline while the grain is active and by
/// a reminder that survives a crash; activation applies it too, so a restart never leaves an expired lobby wait open.
/// </summary>
[GrainType("session")]
public sealed partial class SessionGrain(
    ISessionStore store,
    IDirectoryGateway directory,
    IOptions<SessionGateOptions> options,
    TimeProvider time,
    IHostApplicationLifetime host,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain, IRemindable, IHoldsWatches
{
    private const string TickReminder = "tick";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private TaskCompletionSource _changed = NewSignal();

    // The tenant's owner as last asked (empty: nobody); cleared by a transfer's wake-up, asked again after OwnerLifetime.
    private static readonly TimeSpan OwnerLifetime = TimeSpan.FromSeconds(10);
    private string? _owner;
    private DateTimeOffset _ownerUntil;

    // The invitation-proof key of this session (see SessionKey).
    private byte[]? _sessionKey;

    private IGrainTimer? _timer;
    private DateTimeOffset? _timerFor;
    private DateTimeOffset? _reminderDue;
    private SessionFacts? _facts;
    private SessionLog _log = null!;

    private string Name => this.GetPrimaryKeyString();

    private string TenantId => Name.Split('/')[1];

    /// <summary>
    /// The state as stored: written whole while scheduling, then one delta a step (<see cref="SessionLog"/>). It changes
    /// only once a write is stored, so watchers, which interleave with a commit still writing, never see an event whose
    /// write then fails (and which a retry may append differently).
    /// </summary>
    private SessionGrainState Stored => _log.State;

    private SessionState? Session => Stored.Session;

    private SessionFacts Facts => _facts ??= new SessionFacts(GrainFactory, directory, TenantId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _log = new SessionLog(store, Name, logger);
        await _log.ReadAsync();
        if (Session is not null)
        {
            _admitterIndexes = !Session.IsTerminal; // see SessionGrain.Admitters.cs
            await MarkActiveAsync(); // see SessionGrain.ActiveCount.cs
            await TickAsync();
        }
        else if (Stored.Pending is not null)
        {
            // A crash interrupted scheduling: finish it now rather than at the next reminder tick.
            this.RegisterGrainTimer(static (grain, _) => grain.ResumeSchedulingAsync(), this,
                new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan });
        }
    }

    // ------------------------------------------------------------------ reading

    public async Task<SessionView?> TryGetAsync(string partnerId, bool withTimeline = false) => await VisibleAsync(partnerId) ? View(withTimeline) : null;

    public Task WakeWatchersAsync()
    {
        _owner = null;
        Signal();
        return Task.CompletedTask;
    }

    public async Task<SessionWatchPage?> WatchAsync(string partnerId, long afterSequence, int max, TimeSpan maxWait)
    {
        if (!await VisibleAsync(partnerId))
        {
            return null;
        }

        if (Session!.LastSequence <= afterSequence && !Session.IsTerminal)
        {
            await WatchWait.ForChangeAsync(_changed.Task, maxWait, time, host);
        }

        // The tenant may have been handed to another partner while this watcher waited: its stream ends NOT_FOUND.
        if (!await VisibleAsync(partnerId))
        {
            return null;
        }

        var session = Session!;
        return new SessionWatchPage(session.EventsAfter(afterSequence, max), session.IsTerminal);
    }

    // ------------------------------------------------------------------ visibility and views

    private async Task<SessionState> RequireAsync(string partnerId) =>
        await VisibleAsync(partnerId) ? Session! : throw OrchestratorException.NotFound(Name);

    /// <summary>
    /// A session belongs to its tenant, and a partner sees it exactly while it owns that tenant: every call is checked
    /// against the owner the tenant grain gave this activation. A transfer clears it at once (the tenant grain wakes each
    /// of its sessions from its durable outbox, see <see cref="WakeWatchersAsync"/>), and it is asked again at the
    /// latest after <see cref="OwnerLifetime"/>, so a lost wake-up cannot keep a previous owner in.
    /// </summary>
    private async Task<bool> VisibleAsync(string partnerId)
    {
        if (Session is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (_owner is null || now >= _ownerUntil)
        {
            _owner = await GrainFactory.GetGrain<ITenantGrain>(ResourceName.Tenant(TenantId)).GetOwnerAsync() ?? string.Empty;
            _ownerUntil = now + OwnerLifetime;
        }

        return _owner == partnerId;
    }

    private async Task<TenantView> TenantAsync(string partnerId) =>
        await GrainFactory.GetGrain<ITenantGrain>(ResourceName.Tenant(TenantId)).TryGetAsync(partnerId)
        ?? throw OrchestratorException.NotFound(ResourceName.Tenant(TenantId));

    /// <summary>The tenant's settings, what a lobby step's rules read: asked on every step, so a change applies at once.</summary>
    private async Task<TenantSettings> SettingsAsync(string partnerId) =>
        await GrainFactory.GetGrain<ITenantGrain>(ResourceName.Tenant(TenantId)).GetSettingsAsync(partnerId)
        ?? throw OrchestratorException.NotFound(ResourceName.Tenant(TenantId));

    private SessionView View(bool withTimeline = false) =>
        SessionViewing.Of(Session!, _log.Version, Links(Session!.Invitations.Values.Select(i => i.Invitee)), withTimeline);

    /// <summary>The gate link (with its invitation proof when a key is configured) of each anonymous invitee.</summary>
    private Dictionary<string, string> Links(IEnumerable<Principal> invitees)
    {
        var key = SessionKey();
        var gate = options.Value.GateUrl;
        return invitees.Where(p => p.Kind == PrincipalKind.Anonymous).ToDictionary(
            p => p.Key,
            p => GateLinks.For(gate, Name, p.Email, key.Length == 0 ? null : InvitationProof.Create(key, Name, p.Email!)),
            StringComparer.Ordinal);
    }

    /// <summary>This session's invitation-proof key (an HMAC of the service's key), derived once per activation.</summary>
    private byte[] SessionKey() => _sessionKey ??= options.Value.InvitationKeyBytes() is { Length: > 0 } key ? InvitationProof.DeriveSessionKey(key, Name) : [];
}
