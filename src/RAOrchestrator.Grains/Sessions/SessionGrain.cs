using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Domain.Barriers;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Sessions;
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
    ILogger<SessionGrain> logger) : Grain, ISessionGrain, IRemindable
{
    private const string TickReminder = "tick";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private TaskCompletionSource _changed = NewSignal();

    // The tenant's owner as last asked (empty: nobody); cleared by a transfer's wake-up, asked again after OwnerLifetime.
    private static readonly TimeSpan OwnerLifetime = TimeSpan.FromSeconds(10);
    private string? _owner;
    private DateTimeOffset _ownerUntil;

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
            await TickAsync();
        }
        else if (Stored.Pending is not null)
        {
            // A crash interrupted scheduling: finish it now rather than at the next reminder tick.
            this.RegisterGrainTimer(static (grain, _) => grain.ResumeSchedulingAsync(), this,
                new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan });
        }
    }

    // ------------------------------------------------------------------ scheduling

    public async Task<SessionView> CreateAsync(string requestId, string partnerId, SessionSpec spec)
    {
        if (Session is not null || Stored.Pending is not null)
        {
            // An empty request id is no key: two calls without one are two requests, not a retry.
            if (requestId.Length == 0 || requestId != Stored.RequestId || partnerId != Stored.PartnerId)
            {
                throw new OrchestratorException(ErrorKind.AlreadyExists, "SESSION_EXISTS", $"{Name} already exists.");
            }

            if (Session is not null)
            {
                return View();
            }

            spec = Stored.Pending!;
        }

        using var activity = Telemetry.Source.StartActivity("session.schedule");
        activity?.SetTag("raorchestrator.session", Name);
        var tenant = await TenantAsync(partnerId);
        var (request, inputs) = await PrepareAsync(tenant, spec);
        if (SessionState.CheckSchedule(request, inputs, time.GetUtcNow()) is { } refusal)
        {
            await ForgetPendingAsync();
            throw Refused(InCreateTerms(refusal), "schedule");
        }

        if (Stored.Pending is null)
        {
            await _log.WriteAsync(new SessionGrainState { PartnerId = partnerId, RequestId = requestId, Pending = spec }).OrDeactivateAsync(this);
            await SetReminderAsync(time.GetUtcNow() + ReminderPeriod);
        }

        return await ScheduleAsync(tenant, request, inputs);
    }

    private async Task ResumeSchedulingAsync()
    {
        if (Stored.Pending is not { } spec || Session is not null)
        {
            return;
        }

        try
        {
            if (await ResumingTenantAsync() is not { } tenant)
            {
                return;
            }

            var (request, inputs) = await PrepareAsync(tenant, spec);
            if (SessionState.CheckSchedule(request, inputs, time.GetUtcNow()) is { } refusal)
            {
                LogResumeRefused(Name, refusal.Reason);
                await ForgetPendingAsync();
                return;
            }

            await ScheduleAsync(tenant, request, inputs);
        }
        catch (Exception ex) when (ex is not OrchestratorException { Kind: not ErrorKind.Unavailable })
        {
            LogResumeFailed(ex, Name);
        }
    }

    private async Task<SessionView> ScheduleAsync(TenantView tenant, ScheduleRequest request, SessionPolicyInputs inputs)
    {
        var settings = options.Value;
        var lobby = request.Lobby ?? new LobbySettings(inputs.Organizer.Policy.AutoAdmittedUsers, false, false, LobbySettings.DefaultMaxLobbyWait);
        var teamsLobby = LobbyPolicy.ForTeamsMeeting(lobby, gateFrontsMeeting: true);
        var attendees = request.Invitees.Where(p => p.Email is not null).Select(p => p.Email!).Distinct(StringComparer.Ordinal).ToList();
        CreatedMeeting created;
        try
        {
            created = await directory.CreateMeetingAsync(TenantId, new MeetingRequest(
                inputs.Organizer.User.UserId!,
                request.Subject.Trim(),
                request.Start!.Value,
                request.End!.Value,
                attendees,
                ToGraph(teamsLobby.Scope),
                teamsLobby.IsDialInBypassEnabled,
                Name,
                GateLinks.InvitationHtml(settings.GateUrl, Name, request.Subject.Trim(), inputs.Organizer.User.DisplayName, request.Start.Value, request.End.Value)));
        }
        catch (OrchestratorException ex) when (ex.Kind != ErrorKind.Unavailable)
        {
            // A lasting refusal (no application access policy, ...): nothing to resume; the caller may fix it and retry.
            await ForgetPendingAsync();
            throw;
        }

        var decision = SessionState.Schedule(request, inputs, new OnlineMeeting(created.JoinUrl, created.OnlineMeetingId, teamsLobby), time.GetUtcNow());
        if (!decision.Succeeded)
        {
            await ForgetPendingAsync();
            throw Refused(InCreateTerms(decision.Refusal!), "schedule");
        }

        await _log.WriteAsync(new SessionGrainState { PartnerId = Stored.PartnerId, RequestId = Stored.RequestId, Session = decision.Value }).OrDeactivateAsync(this);
        Telemetry.SessionsScheduled.Add(1);
        await ArmClockAsync();
        Signal();
        return View();
    }

    private async Task<(ScheduleRequest Request, SessionPolicyInputs Inputs)> PrepareAsync(TenantView tenant, SessionSpec spec)
    {
        // A tenant that needs attention may still meet (say, across tenants with anonymous join off); the rules refuse
        // what its settings do not allow. One still onboarding or being offboarded may not.
        if (tenant.Lifecycle is TenantLifecycle.Onboarding or TenantLifecycle.Offboarding)
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, "TENANT_NOT_ACTIVE",
                $"{ResourceName.Tenant(TenantId)} is {tenant.Lifecycle}; sessions can be scheduled once onboarding has finished.");
        }

        var organizer = await Facts.ResolveAsync(spec.Organizer, "session.organizer");
        var invitees = await ResolveAllAsync(spec.Invitees, "session.invitations");
        var admitters = await ResolveAllAsync(spec.DelegatedAdmitters, "session.delegated_admitters");
        var request = new ScheduleRequest(Name, spec.Subject, spec.Start, spec.End, spec.Start is null || spec.End is null, invitees, admitters, spec.Lobby);
        var inputs = await Facts.InputsAsync(tenant, organizer, invitees, BarrierActivity.InviteToMeeting, readLicence: true);
        return (request, inputs);
    }

    private async Task<ImmutableArray<Principal>> ResolveAllAsync(IReadOnlyList<PersonRef> people, string field)
    {
        var resolved = ImmutableArray.CreateBuilder<Principal>(people.Count);
        for (var i = 0; i < people.Count; i++)
        {
            resolved.Add(await Facts.ResolveAsync(people[i], $"{field}[{i}]"));
        }

        return resolved.MoveToImmutable();
    }

    private async Task ForgetPendingAsync()
    {
        if (Stored.Pending is not null && Session is null)
        {
            await _log.ClearAsync();
            await SetReminderAsync(null);
        }
    }

    // ------------------------------------------------------------------ reading

    public async Task<SessionView?> TryGetAsync(string partnerId) => await VisibleAsync(partnerId) ? View() : null;

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
            try
            {
                await _changed.Task.WaitAsync(maxWait, time);
            }
            catch (TimeoutException)
            {
                // Nothing new: the caller asks again.
            }
        }

        // The tenant may have been handed to another partner while this watcher waited: its stream ends NOT_FOUND.
        if (!await VisibleAsync(partnerId))
        {
            return null;
        }

        var session = Session!;
        return new SessionWatchPage(session.EventsAfter(afterSequence, max), session.IsTerminal);
    }

    // ------------------------------------------------------------------ invitations and the lobby

    public async Task<InviteOutcome> InviteAsync(string partnerId, PersonRef? actor, IReadOnlyList<PersonRef> invitees, string requestId = "")
    {
        var session = await RequireAsync(partnerId);
        var key = SessionRequests.KeyOf(partnerId, requestId);
        if (session.Processed(key, "invite") is { } earlier)
        {
            // A repeat answers what the first call did, whatever happened since; its mail goes out again under the same
            // key (Graph mails nobody twice), in case the first call failed after storing the invitations.
            var added = earlier.Added.Select(k => session.Invitations[k]).ToImmutableArray();
            if (InvitationMail.ForAdded(earlier.FirstSequence, added) is { } repeated)
            {
                await SendInvitationMailAsync(session, repeated);
            }

            var already = earlier.AlreadyInvited(invitees.Select(p => Facts.Unresolved(p).Key));
            return new InviteOutcome(new InviteDecision(added, already), Links(added.Select(i => i.Invitee)));
        }

        var tenant = await TenantAsync(partnerId);
        var people = await ResolveAllAsync(invitees, "invitees");
        var inputs = await Facts.InputsAsync(tenant, session.Organizer, people, BarrierActivity.InviteToMeeting);
        var step = session.Invite(Facts.Actor(partnerId, actor), people, inputs, time.GetUtcNow());
        var firstSequence = step.Events.IsEmpty ? 0 : step.Events[0].Sequence;
        var decision = await CommitAsync(step.Remembering(key, d => new ProcessedSessionRequest(key!, "invite", [.. d.Added.Select(i => i.Key)], firstSequence)), "invite");

        // The new invitees get their call's invitation mail; invitees a retried call finds already invited get theirs
        // again under the same key (Graph answers a repeated key with the event it made), so a mail that failed after
        // the invitations were stored goes out now and one that went out is not repeated.
        var s = Session!;
        var mails = decision.AlreadyInvited.Select(key => InvitationMail.Of(s, key))
            .Prepend(step.Events.IsEmpty ? null : InvitationMail.ForAdded(step.Events[0].Sequence, decision.Added))
            .OfType<InvitationMail>()
            .DistinctBy(m => m.Sequence);
        foreach (var mail in mails)
        {
            await SendInvitationMailAsync(s, mail);
        }

        return new InviteOutcome(decision, Links(decision.Added.Select(i => i.Invitee)));
    }

    private Task SendInvitationMailAsync(SessionState s, InvitationMail mail) =>
        directory.SendInvitationAsync(TenantId, new MeetingRequest(
            s.Organizer.UserId!, s.Subject, s.Start, s.End, mail.Attendees, Domain.Directory.LobbyBypassScope.Everyone, false, Name,
            GateLinks.InvitationHtml(options.Value.GateUrl, Name, s.Subject, s.Organizer.DisplayName, s.Start, s.End)),
            mail.TransactionId(Name));

    public async Task<JoinDecision> JoinAsync(string partnerId, PersonRef who, ClientKind client, string? invitationProof)
    {
        var session = await RequireAsync(partnerId);
        var unresolved = Facts.Unresolved(who);
        var existing = session.Find(unresolved.Key);
        if (existing is { Status: ParticipantStatus.Admitted })
        {
            // Asking again once admitted: a fresh ticket (bounded), since the first one may be lost or expired; a guest
            // proves it is the one admitted as it did then.
            var ticket = await CommitAsync(session.Rejoin(new JoinRequest(unresolved, client, invitationProof), SessionKey(), time.GetUtcNow(), CryptoSessionRandom.Instance), "ticket");
            return new JoinDecision(Session!.Participants[existing.Id], ticket, true, existing.StatusReason ?? string.Empty, null);
        }

        var tenant = await TenantAsync(partnerId);
        // A client the rules refuse anyway is refused without a directory lookup.
        var principal = ClientRules.Check(client, unresolved.Kind) is null ? await Facts.ResolveAsync(who, "person") : unresolved;
        var inputs = await Facts.InputsAsync(tenant, session.Organizer, [principal], BarrierActivity.Call, session.Admitted.Select(p => p.Principal));
        var step = session.Join(new JoinRequest(principal, client, invitationProof), inputs, SessionKey(), time.GetUtcNow(), CryptoSessionRandom.Instance);
        return await CommitAsync(step, "join");
    }

    public async Task<ParticipantChange> AdmitAsync(string partnerId, PersonRef? actor, string participantId)
    {
        var session = await RequireAsync(partnerId);
        var verdicts = BarrierVerdicts.None;
        if (session.Find(participantId) is { Principal.IsAccount: true } waiting)
        {
            // Barriers are checked again at admission: the participant meets the organizer and everyone already in.
            var tenant = await TenantAsync(partnerId);
            verdicts = (await Facts.InputsAsync(tenant, session.Organizer, [waiting.Principal], BarrierActivity.Call, session.Admitted.Select(p => p.Principal))).Barriers;
        }

        return await CommitAsync(session.Admit(Facts.Actor(partnerId, actor), participantId, verdicts, time.GetUtcNow(), CryptoSessionRandom.Instance), "admit");
    }

    public async Task<ParticipantChange> DenyAsync(string partnerId, PersonRef? actor, string participantId)
    {
        var change = await CommitAsync((await RequireAsync(partnerId)).Deny(Facts.Actor(partnerId, actor), participantId, time.GetUtcNow()), "deny");
        await SettleMeetingAsync();
        return change;
    }

    public async Task<ParticipantChange> RemoveAsync(string partnerId, PersonRef? actor, string participantId)
    {
        var change = await CommitAsync((await RequireAsync(partnerId)).Remove(Facts.Actor(partnerId, actor), participantId, time.GetUtcNow()), "remove");
        await SettleMeetingAsync();
        return change;
    }

    public async Task<ParticipantChange> LeaveAsync(string partnerId, string participantId) =>
        await CommitAsync((await RequireAsync(partnerId)).Leave(participantId, time.GetUtcNow()), "leave");

    public async Task<TicketRedemption> RedeemAsync(string partnerId, string token)
    {
        await RequireAsync(partnerId);
        await SettleMeetingAsync(); // a replacement still owed is made before anyone learns a URL again
        return await CommitAsync(Session!.RedeemTicket(token, time.GetUtcNow()), "redeem");
    }

    public Task<SessionView> EndAsync(string partnerId, PersonRef? actor, string requestId = "") =>
        CloseAsync(partnerId, requestId, "end", s => s.EndSession(Facts.Actor(partnerId, actor), time.GetUtcNow()));

    public Task<SessionView> CancelAsync(string partnerId, PersonRef? actor, string requestId = "") =>
        CloseAsync(partnerId, requestId, "cancel", s => s.Cancel(Facts.Actor(partnerId, actor), time.GetUtcNow()));

    private async Task<SessionView> CloseAsync(string partnerId, string requestId, string action, Func<SessionState, SessionStep<CloseDecision>> close)
    {
        var session = await RequireAsync(partnerId);
        var key = SessionRequests.KeyOf(partnerId, requestId);
        if (session.Processed(key, action) is null)
        {
            await CommitAsync(close(session).Remembering(key, _ => new ProcessedSessionRequest(key!, action, [], 0)), action);
        }

        await SettleMeetingAsync(); // the meeting of a closed session is deleted, so no URL handed out works any more
        return View();
    }

    // ------------------------------------------------------------------ the clock

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _reminderDue = null;
        if (Session is null && Stored.Pending is not null)
        {
            await ResumeSchedulingAsync();
            return;
        }

        await TickAsync();
    }

    private async Task TickAsync()
    {
        _timerFor = null; // a one-shot timer that fired (or a tick from elsewhere): arm again below
        if (Session is null)
        {
            await SetReminderAsync(null);
            return;
        }

        if (!Session.IsTerminal)
        {
            var step = Session.Tick(time.GetUtcNow());
            if (step.Events.Length > 0)
            {
                await CommitAsync(step, "tick");
            }
        }

        await SettleMeetingQuietlyAsync();
        await ArmClockAsync();
    }

    /// <summary>A timer at the next deadline while active, and a reminder no later than it that survives a crash.</summary>
    private async Task ArmClockAsync()
    {
        var next = Session?.NextDeadline;
        if (Session is { } owing && owing.MeetingWorkDue())
        {
            // Graph work still owed (a meeting to replace or delete): try again within a reminder period.
            var retry = time.GetUtcNow() + ReminderPeriod;
            next = next is { } n && n < retry ? n : retry;
        }

        if (_timer is not null && next == _timerFor && next > time.GetUtcNow())
        {
            // Already armed for this deadline (the common case: a join or an admission that moves no deadline).
            return;
        }

        _timer?.Dispose();
        _timer = null;
        _timerFor = null;
        if (next is null)
        {
            await SetReminderAsync(null);
            return;
        }

        var due = next.Value - time.GetUtcNow();
        _timerFor = next;
        _timer = this.RegisterGrainTimer(static (grain, _) => grain.TickAsync(), this,
            new GrainTimerCreationOptions { DueTime = due > TimeSpan.Zero ? due : TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan, Interleave = false });
        if (_reminderDue is not { } registered || registered > next.Value)
        {
            await SetReminderAsync(next.Value);
        }
    }

    private async Task SetReminderAsync(DateTimeOffset? due)
    {
        if (due is null)
        {
            if (await this.GetReminder(TickReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            _reminderDue = null;
            return;
        }

        var wait = due.Value - time.GetUtcNow();
        await this.RegisterOrUpdateReminder(TickReminder, wait > TimeSpan.Zero ? wait : TimeSpan.Zero, ReminderPeriod);
        _reminderDue = due;
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>Stores the step (when it changed anything), records its telemetry, wakes watchers, answers its value.</summary>
    private async Task<T> CommitAsync<T>(SessionStep<T> step, string action)
        where T : class
    {
        if (!step.Succeeded)
        {
            throw Refused(step.Refusal!, action);
        }

        if (!ReferenceEquals(step.State, Session))
        {
            var before = Session!;
            await _log.AppendAsync(step.State).OrDeactivateAsync(this); // one delta row: what the step changed
            SessionMetrics.Record(before, step.State, step.Events);
            Signal();
            await ArmClockAsync(); // returns at once unless the step moved the next deadline
        }

        return step.Value!;
    }

    /// <summary>The rules name fields as an invitation names them; CreateSession nests them under <c>session.</c>.</summary>
    private static SessionRefusal InCreateTerms(SessionRefusal refusal) => refusal with
    {
        Violations = [.. refusal.Violations.Select(v => v with
        {
            Field = v.Field.StartsWith("invitees[", StringComparison.Ordinal)
                ? "session.invitations[" + v.Field["invitees[".Length..v.Field.IndexOf(']', StringComparison.Ordinal)] + "].person" + v.Field[(v.Field.IndexOf(']', StringComparison.Ordinal) + 1)..]
                : "session." + v.Field,
        })],
    };

    private static OrchestratorException Refused(SessionRefusal refusal, string action)
    {
        Telemetry.SessionRefusals.Add(1, new("session.action", action), new("session.reason", refusal.Reason));
        System.Diagnostics.Activity.Current?.AddEvent(new("session.refused", tags: new System.Diagnostics.ActivityTagsCollection
        {
            ["session.action"] = action,
            ["session.reason"] = refusal.Reason,
            ["session.message"] = refusal.Message,
        }));
        return refusal.ToException();
    }

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

    private SessionView View() => new(Session!, Links(Session!.Invitations.Values.Select(i => i.Invitee)));

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

    private byte[] SessionKey()
    {
        var key = options.Value.InvitationKeyBytes();
        return key.Length == 0 ? [] : InvitationProof.DeriveSessionKey(key, Name);
    }

    private void Signal()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resuming the scheduling of {Session} failed; the reminder retries")]
    private partial void LogResumeFailed(Exception exception, string session);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The interrupted scheduling of {Session} is now refused ({Reason}); it was dropped")]
    private partial void LogResumeRefused(string session, string reason);
}
