using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Testing;
using static RAOrchestrator.Contracts.V1.Participant.Types;

namespace RAOrchestrator.Chaos;

/// <summary>
/// Live Remote Assist sessions with a watcher on each, through the faults. Before the faults start, a few tenants of
/// its own are onboarded (each with a licensed technician who organizes its sessions), the sessions are scheduled and
/// one WatchSession stream is opened on each. Through the faults, workers drive anonymous guests through the lobby
/// at a paced rate: a new guest joins (IN_LOBBY), a waiting guest is admitted, an admitted guest leaves; one
/// operation at a time per session, each retried until answered (join, admit and leave are idempotent by the
/// participant's state), so the workload knows exactly what every session must look like. A watcher whose stream
/// breaks reconnects through the balanced channel (to a live process) with the last sequence it saw.
/// Afterwards every session must hold exactly the participants and lobby its acknowledged operations imply, its
/// timeline exactly the events they imply (no event lost or written twice), and every watcher must have seen that
/// timeline, 1..N, with no gap and no duplicate.
/// </summary>
public sealed class SessionWorkload : IWorkload
{
    private const int MaxGuests = 25;

    /// <summary>The sessions' tenants belong to a partner of their own, so the onboarding's partner lists only its tenants.</summary>
    private const string Partner = "chaos-sessions-partner";
    private readonly List<LiveSession> _sessions = [];
    private readonly CancellationTokenSource _watching = new();
    private readonly List<Task> _watchers = [];
    private long _joins, _admits, _leaves, _refused, _unanswered;

    public string Name => "sessions";

    public async Task PrepareAsync(ChaosContext context, Action<string> log)
    {
        var options = context.Options;
        if (options.Sessions == 0)
        {
            return;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var tenants = await Task.WhenAll(Enumerable.Range(0, options.SessionTenants).Select(_ => OnboardAsync(context)));
        log($"sessions: {tenants.Length} tenants of their own onboarded in {clock.Elapsed.TotalSeconds:F1} s");

        var client = new SessionService.SessionServiceClient(context.InvokerFor(Partner));
        using var gate = new SemaphoreSlim(32);
        var created = await Task.WhenAll(Enumerable.Range(0, options.Sessions).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                return await ScheduleAsync(client, tenants[i % tenants.Length], i);
            }
            finally
            {
                gate.Release();
            }
        }));
        _sessions.AddRange(created);
        log($"sessions: {created.Length} scheduled in {clock.Elapsed.TotalSeconds:F1} s; opening a watcher on each");

        foreach (var session in _sessions)
        {
            _watchers.Add(Task.Run(() => session.Watcher.RunAsync(client, _watching.Token)));
        }

        // Every watcher has its stream open (it received the Scheduled event) before the faults begin.
        while (_sessions.Any(s => s.Watcher.Last < 1) && clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            await Task.Delay(200);
        }

        log($"sessions: {_sessions.Count(s => s.Watcher.Last >= 1)} watchers streaming, {clock.Elapsed.TotalSeconds:F1} s after the sessions' preparation began");
    }

    public async Task RunAsync(ChaosContext context, CancellationToken stop)
    {
        if (_sessions.Count == 0)
        {
            return;
        }

        var client = new SessionService.SessionServiceClient(context.InvokerFor(Partner));
        var workers = Math.Min(context.Options.SessionWorkers, _sessions.Count);
        // Paced: each worker starts an operation every `pace`, so the cluster keeps headroom and the rate is a yardstick.
        var pace = context.Options.SessionRate > 0 ? TimeSpan.FromSeconds((double)workers / context.Options.SessionRate) : TimeSpan.Zero;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var mine = _sessions.Where(s => s.Index % workers == w).ToArray();
            var random = new Random(w);
            var next = 0;
            while (!stop.IsCancellationRequested)
            {
                var started = DateTime.UtcNow;
                var session = mine[next++ % mine.Length];
                if (!session.Uncertain)
                {
                    await StepAsync(context, client, session, random);
                }

                var rest = pace - (DateTime.UtcNow - started);
                if (rest > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(rest, stop);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        }, CancellationToken.None)));
    }

    public Task SettleAsync(ChaosContext context, TimeSpan limit) => Task.CompletedTask;

    public async Task<WorkloadReport> VerifyAsync(ChaosContext context)
    {
        var checks = new List<(string, string, bool)>();
        if (_sessions.Count == 0)
        {
            await _watching.CancelAsync();
            return new WorkloadReport(Name, 0, 0, [("sessions", "none (sessions=0)", true)]);
        }

        // Read every session once; the watchers have until then (and a minute at most) to catch up with its timeline.
        var client = new SessionService.SessionServiceClient(context.InvokerFor(Partner));
        using var gate = new SemaphoreSlim(16);
        var views = await Task.WhenAll(_sessions.Select(async s =>
        {
            await gate.WaitAsync();
            try
            {
                var (answer, refusal) = await Calls.UntilAnsweredAsync(o => client.GetSessionAsync(new GetSessionRequest { Name = s.Name }, o), TimeSpan.FromSeconds(60));
                return (Session: s, View: answer?.Session, Refusal: refusal);
            }
            finally
            {
                gate.Release();
            }
        }));
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (views.Any(v => v.View is not null && v.Session.Watcher.Last < v.View.LastSequence) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        await _watching.CancelAsync();
        await Task.WhenAll(_watchers);

        long lost = 0, wrongParticipants = 0, wrongLobby = 0, wrongTimeline = 0, unreadable = 0, watchersBehind = 0, watchersWrong = 0, gaps = 0, duplicates = 0;
        foreach (var (session, view, refusal) in views)
        {
            if (view is null)
            {
                unreadable++;
                lost += session.Acknowledged;
                Console.Error.WriteLine($"  session unreadable: {session.Name} {refusal?.StatusCode} {refusal?.Status.Detail}");
                continue;
            }

            // The timeline is 1..N without a hole, and the watcher saw exactly it.
            var contiguous = view.Events.Select((e, i) => e.Sequence == i + 1).All(ok => ok) && view.Events.Count == view.LastSequence;
            var watcher = session.Watcher;
            gaps += watcher.Gaps;
            duplicates += watcher.Duplicates;
            if (watcher.Last < view.LastSequence)
            {
                watchersBehind++;
                Console.Error.WriteLine($"  watcher behind: {session.Name} saw {watcher.Last} of {view.LastSequence} events");
            }
            else if (!contiguous || watcher.Gaps + watcher.Duplicates > 0 || !watcher.Events.SequenceEqual(view.Events))
            {
                watchersWrong++;
                var first = watcher.Events.Zip(view.Events).FirstOrDefault(p => !p.First.Equals(p.Second));
                Console.Error.WriteLine($"  watcher differs: {session.Name} saw {watcher.Events.Count} events ({watcher.Gaps} gaps, {watcher.Duplicates} repeats), timeline {view.Events.Count}; first difference: saw {first.First}, timeline has {first.Second}");
            }

            if (session.Uncertain)
            {
                continue;
            }

            // Participants and lobby exactly as the acknowledged operations left them.
            var actual = view.Participants.ToDictionary(p => p.Id, p => p.State);
            var missing = session.Expected.Count(e => actual.GetValueOrDefault(e.Key) != e.Value);
            var extra = actual.Keys.Count(id => !session.Expected.ContainsKey(id));
            if (missing + extra > 0)
            {
                wrongParticipants++;
                lost += missing;
                Console.Error.WriteLine($"  participants differ: {session.Name} expected {Describe(session.Expected)}, found {Describe(actual)}");
            }

            var lobby = view.Participants.Where(p => p.State == State.InLobby).Select(p => p.Id).ToHashSet();
            if (!lobby.SetEquals(session.Expected.Where(e => e.Value == State.InLobby).Select(e => e.Key)))
            {
                wrongLobby++;
            }

            if (view.LastSequence != session.ExpectedEvents || !contiguous)
            {
                wrongTimeline++;
                Console.Error.WriteLine($"  timeline differs: {session.Name} has {view.LastSequence} events, its acknowledged operations imply {session.ExpectedEvents}");
            }
        }

        var reconnects = _sessions.Sum(s => s.Watcher.Reconnects);
        var resumed = _sessions.Count(s => s.Watcher.Reconnects > 0);
        var longest = _sessions.Max(s => s.Watcher.LongestDelay);
        var late = _sessions.Sum(s => (long)s.Watcher.Late);
        var delivered = _sessions.Sum(s => (long)s.Watcher.Events.Count);
        var acknowledged = _joins + _admits + _leaves;
        var n = (long x) => x.ToString("N0", CultureInfo.InvariantCulture);
        checks.Add(("sessions / participants at the end", $"{n(_sessions.Count)} sessions, {n(views.Sum(v => v.View?.Participants.Count ?? 0))} participants ({n(views.Sum(v => v.View?.Participants.Count(p => p.State == State.InLobby) ?? 0))} in a lobby, {n(views.Sum(v => v.View?.Participants.Count(p => p.State == State.Admitted) ?? 0))} admitted)", true));
        checks.Add(("operations acknowledged: joins, admissions, leaves", $"{n(_joins)}, {n(_admits)}, {n(_leaves)}", true));
        checks.Add(("operations refused (a refusal of a step the model allows means state was lost)", n(_refused), _refused == 0));
        checks.Add(("operations never answered (2 min; their session is not checked)", n(_unanswered), _unanswered == 0));
        checks.Add(("sessions unreadable", n(unreadable), unreadable == 0));
        checks.Add(("sessions whose participants differ from the acknowledged operations", n(wrongParticipants), wrongParticipants == 0));
        checks.Add(("sessions whose lobby differs", n(wrongLobby), wrongLobby == 0));
        checks.Add(("sessions whose timeline is not 1..N with exactly the events the operations imply", n(wrongTimeline), wrongTimeline == 0));
        checks.Add(("watch streams broken and resumed from the last sequence seen", $"{n(reconnects)} reconnections by {n(resumed)} watchers", true));
        checks.Add(("events delivered to watchers: more than 1 s after they happened; the longest wait", $"{n(delivered)}: {n(late)}; {longest.TotalSeconds:F1} s", true));
        checks.Add(("watchers that saw a gap or a repeated event", $"{n(gaps)} gaps, {n(duplicates)} repeats", gaps + duplicates == 0));
        checks.Add(("watchers not caught up with GetSession's timeline / differing from it", $"{n(watchersBehind)} / {n(watchersWrong)}", watchersBehind + watchersWrong == 0));
        return new WorkloadReport(Name, acknowledged, lost, checks);
    }

    /// <summary>One operation on one session, chosen from what the session holds now; followed to its answer.</summary>
    private async Task StepAsync(ChaosContext context, SessionService.SessionServiceClient client, LiveSession session, Random random)
    {
        var waiting = session.Expected.Where(e => e.Value == State.InLobby).Select(e => e.Key).ToList();
        var admitted = session.Expected.Where(e => e.Value == State.Admitted).Select(e => e.Key).ToList();
        var roll = random.NextDouble();
        try
        {
            if (waiting.Count > 0 && (roll < 0.5 || session.Guests >= MaxGuests))
            {
                var id = waiting[0];
                var (answer, refusal) = await Calls.UntilAnsweredAsync(o => client.AdmitParticipantAsync(new AdmitParticipantRequest { Name = session.Name, ParticipantId = id }, o), TimeSpan.FromMinutes(2));
                Record(context, session, id, answer?.Participant.State, refusal, State.Admitted, ref _admits);
            }
            else if (admitted.Count > 0 && (roll < 0.75 || session.Guests >= MaxGuests))
            {
                var id = admitted[random.Next(admitted.Count)];
                var (answer, refusal) = await Calls.UntilAnsweredAsync(o => client.LeaveSessionAsync(new LeaveSessionRequest { Name = session.Name, ParticipantId = id }, o), TimeSpan.FromMinutes(2));
                Record(context, session, id, answer?.Participant.State, refusal, State.Left, ref _leaves);
            }
            else if (session.Guests < MaxGuests)
            {
                var guest = session.Guests++;
                var request = new JoinSessionRequest
                {
                    Name = session.Name,
                    Person = new Person { AnonymousGuest = new Person.Types.AnonymousGuest { Email = $"guest{guest}.s{session.Index}@oem.example", DisplayName = $"Guest {guest}" } },
                    Client = ClientKind.TeamsDesktop,
                };
                var (answer, refusal) = await Calls.UntilAnsweredAsync(o => client.JoinSessionAsync(request, o), TimeSpan.FromMinutes(2));
                Record(context, session, answer?.Participant.Id ?? $"guest:{request.Person.AnonymousGuest.Email}", answer?.Participant.State, refusal, State.InLobby, ref _joins);
            }
        }
        catch (TimeoutException)
        {
            // Unknown outcome: the session is no longer checked against a model (its watcher still is).
            Interlocked.Increment(ref _unanswered);
            session.Uncertain = true;
        }
    }

    private void Record(ChaosContext context, LiveSession session, string id, State? state, Grpc.Core.RpcException? refusal, State expected, ref long counter)
    {
        if (state is null)
        {
            Interlocked.Increment(ref _refused);
            session.Uncertain = true;
            Console.Error.WriteLine($"  session step refused: {session.Name} {id} -> {expected}: {refusal!.StatusCode} {refusal.Status.Detail}");
            return;
        }

        if (state != expected)
        {
            Interlocked.Increment(ref _refused);
            Console.Error.WriteLine($"  session step answered {state}, expected {expected}: {session.Name} {id}");
        }

        // The events the step appends: a lobby entry; an admission with its ticket (and the start, the first time); a departure.
        var before = session.Expected.GetValueOrDefault(id);
        session.Expected[id] = state.Value;
        session.ExpectedEvents += (before, state.Value) switch
        {
            (State.Unspecified, State.InLobby) => 1,
            (State.InLobby, State.Admitted) => session.Started ? 2 : 3,
            (State.Admitted or State.InLobby, State.Left) => 1,
            _ => 0,
        };
        session.Started |= state == State.Admitted;
        session.Acknowledged++;
        Interlocked.Increment(ref counter);
        context.Throughput.Acknowledged();
    }

    private static async Task<(string TenantId, string Technician)> OnboardAsync(ChaosContext context)
    {
        var tenantId = Guid.NewGuid().ToString();
        await TestEmulator.AddTenantAsync(context.Emulator, tenantId, remoteAssistSeats: 5, e5Seats: 5);
        var technician = await TestEmulator.AddLicensedMemberAsync(context.Emulator, tenantId, "tech");
        var tenants = new TenantService.TenantServiceClient(context.InvokerFor(Partner));
        var request = new CreateTenantRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            TenantId = tenantId,
            Tenant = new Tenant
            {
                DisplayName = "Chaos sessions " + tenantId[..8],
                MeetingSettings = TenantPool.MeetingSettings,
            },
        };
        var (_, refused) = await Calls.UntilAnsweredAsync(o => tenants.CreateTenantAsync(request, o), TimeSpan.FromMinutes(1));
        if (refused is not null)
        {
            throw new InvalidOperationException($"CreateTenant refused: {refused.StatusCode} {refused.Status.Detail}");
        }

        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var (answer, _) = await Calls.UntilAnsweredAsync(o => tenants.GetTenantAsync(new GetTenantRequest { Name = TenantPool.Name(tenantId) }, o), TimeSpan.FromSeconds(30));
            if (answer?.Tenant.State == Tenant.Types.State.Active)
            {
                return (tenantId, technician);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"session tenant {tenantId} not ACTIVE in 2 minutes ({answer?.Tenant.State})");
            }

            await Task.Delay(500);
        }
    }

    private static async Task<LiveSession> ScheduleAsync(SessionService.SessionServiceClient client, (string TenantId, string Technician) tenant, int index)
    {
        var request = new CreateSessionRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Parent = TenantPool.Name(tenant.TenantId),
            SessionId = $"chaos-{index}",
            Session = new Session
            {
                Organizer = new Person { TenantUser = new Person.Types.TenantUser { UserId = tenant.Technician } },
                Subject = $"Chaos session {index}",
                StartTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(5)),
                EndTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(3)),
                // Nobody waits long enough to time out during the run: a timeout would change a participant no operation did.
                Lobby = new LobbySettings { MaxWait = Duration.FromTimeSpan(TimeSpan.FromHours(2)) },
            },
        };
        var (answer, refusal) = await Calls.UntilAnsweredAsync(o => client.CreateSessionAsync(request, o), TimeSpan.FromMinutes(2));
        return answer is null
            ? throw new InvalidOperationException($"CreateSession refused: {refusal!.StatusCode} {refusal.Status.Detail}")
            : new LiveSession(answer.Session.Name, index, answer.Session.LastSequence);
    }

    private static string Describe<T>(IEnumerable<KeyValuePair<string, T>> participants) =>
        string.Join(", ", participants.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key.Split('@')[0]}={p.Value}"));

    /// <summary>One session as the workload's acknowledged operations left it, and its watcher.</summary>
    private sealed class LiveSession(string name, int index, long events)
    {
        public string Name { get; } = name;
        public int Index { get; } = index;
        public Dictionary<string, State> Expected { get; } = [];
        public long ExpectedEvents { get; set; } = events;
        public bool Started { get; set; }
        public int Guests { get; set; }
        public long Acknowledged { get; set; }
        public bool Uncertain { get; set; }
        public SessionWatcher Watcher { get; } = new(name);
    }
}
