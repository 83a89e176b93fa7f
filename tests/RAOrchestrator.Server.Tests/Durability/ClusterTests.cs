using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using RAOrchestrator.Client;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RAOrchestrator.Server.Tests;

/// <summary>Three server processes on this machine form one cluster through Azure Table membership.</summary>
[Collection(ServerCollection.Name)]
public sealed class ClusterTests(ServerFixture fixture, ITestOutputHelper output)
{
    private const string GetTenantMethod = "/raorchestrator.v1.TenantService/GetTenant";
    private static readonly TimeSpan DeathLimit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Any_process_of_the_cluster_answers_for_the_same_grain_and_a_cleanly_stopped_silo_hands_its_grains_off_while_the_balanced_client_keeps_answering()
    {
        await using var world = await ClusterWorld.StartAsync(fixture);
        var channels = Enumerable.Range(0, 3).Select(world.ChannelTo).ToArray();
        var names = await world.OnboardAsync(channels[0], 12);

        // Every process sees every tenant with the same etag: one grain per tenant, wherever the call lands.
        foreach (var name in names)
        {
            var views = await Task.WhenAll(channels.Select(c => GetAsync(world, c, name)));
            Assert.All(views, v => Assert.Equal(Tenant.Types.State.Active, v.State));
            Assert.Single(views.Select(v => v.Etag).Distinct());
        }

        // A write through one process is read back through the others.
        var tenants = new TenantService.TenantServiceClient(world.Writer(channels[1]));
        var renamed = (await tenants.UpdateTenantAsync(new UpdateTenantRequest
        {
            RequestId = TestIds.NewRequestId(),
            Tenant = new Tenant { Name = names[0], DisplayName = "Renamed through process 1" },
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "display_name" } },
        })).Tenant;
        Assert.Equal(renamed.Etag, (await GetAsync(world, channels[2], names[0])).Etag);

        // The client library over one static:/// address spreads its calls round robin over the three processes.
        using var api = world.Client();
        // Round robin spreads calls over the connections that are ready, and the client opens its three in the
        // background: first each process answers one of its calls (within 15 s), then the spread is measured.
        var unused = Enumerable.Range(0, 3).Select(m => world.Served(m, GetTenantMethod)).ToArray();
        var connecting = Stopwatch.StartNew();
        while (Enumerable.Range(0, 3).Any(m => world.Served(m, GetTenantMethod) == unused[m]) && connecting.Elapsed < TimeSpan.FromSeconds(15))
        {
            await api.Tenants.GetTenantAsync(new GetTenantRequest { Name = names[0] });
            await Task.Delay(50);
        }

        var before = Enumerable.Range(0, 3).Select(m => world.Served(m, GetTenantMethod)).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => api.Tenants.GetTenantAsync(new GetTenantRequest { Name = names[i % names.Count] }).ResponseAsync));
        await Task.Delay(500);
        var spread = Enumerable.Range(0, 3).Select(m => world.Served(m, GetTenantMethod) - before[m]).ToArray();
        output.WriteLine($"30 reads through the client library, served per process: {string.Join(", ", spread)}");
        Assert.All(spread, served => Assert.InRange(served, 5, 15));

        // SIGTERM: the silo leaves the cluster (its row says Dead at once) and the others serve all its grains; the
        // client library's reads and updates keep succeeding meanwhile (UNAVAILABLE from the stopping process is retried).
        using var calling = new CancellationTokenSource();
        var caller = CallUntilCancelledAsync(api, names, calling.Token);
        var clock = Stopwatch.StartNew();
        await world.Cluster.StopMemberAsync(2, TimeSpan.FromSeconds(30));
        var stopped = clock.Elapsed;
        await LocalCluster.WaitForActiveAsync(world.Membership, world.Cluster.Ports.Take(2).Select(p => p.Silo), TimeSpan.FromSeconds(5));
        var views2 = await Task.WhenAll(names.Select(n => GetAsync(world, channels[0], n, TimeSpan.FromSeconds(5))));
        await Task.Delay(500);
        await calling.CancelAsync();
        var (calls, retried, failures) = await caller;
        output.WriteLine($"clean stop took {stopped.TotalSeconds:F1} s; all {names.Count} tenants served by the others {clock.Elapsed.TotalSeconds:F1} s after SIGTERM; " +
            $"{calls} calls through the client library meanwhile, {retried} of them answered after a retry");
        foreach (var (_, failure) in failures)
        {
            output.WriteLine($"failed: {failure.Status.StatusCode} {failure.Status.DebugException ?? (object)failure.Status.Detail}");
        }

        Assert.All(views2, v => Assert.Equal(Tenant.Types.State.Active, v.State));
        Assert.Equal(renamed.Etag, views2[0].Etag);
        Assert.Empty(failures.Select(f => $"{f.Exception.StatusCode} {f.Exception.Status.Detail}"));
        Assert.True(calls > 0);
        foreach (var channel in channels)
        {
            channel.Dispose();
        }
    }

    [Fact]
    public async Task A_silo_killed_with_SIGKILL_is_declared_dead_within_20_seconds_and_the_survivors_serve_its_grains_while_the_balanced_client_library_moves_on()
    {
        await using var world = await ClusterWorld.StartAsync(fixture);
        using var balanced = BalancedChannel.Create(world.Cluster.ApiPorts);
        var names = await world.OnboardAsync(balanced, 24);

        // Round robin spreads calls over every process.
        var before = Enumerable.Range(0, 3).Select(m => world.Served(m, GetTenantMethod)).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => GetAsync(world, balanced, names[i % names.Count])));
        await Task.Delay(500);
        var spread = Enumerable.Range(0, 3).Select(m => world.Served(m, GetTenantMethod) - before[m]).ToArray();
        output.WriteLine($"60 reads through the balanced channel, served per process: {string.Join(", ", spread)}");
        Assert.All(spread, served => Assert.InRange(served, 10, 30));

        // SIGKILL the third process while four callers keep reading and renaming through the client library: a call
        // the dead process dropped is attempted again on another (UNAVAILABLE from the transport never reaches them).
        using var api = world.Client();
        using var calling = new CancellationTokenSource();
        var callers = Enumerable.Range(0, 4).Select(_ => CallUntilCancelledAsync(api, names, calling.Token)).ToArray();
        await Task.Delay(300);
        var killedSilo = world.Cluster.Ports[2].Silo;
        var clock = Stopwatch.StartNew();
        var killedAt = DateTime.UtcNow;
        await world.Cluster.KillMemberAsync(2);
        var declaredDead = await LocalCluster.WaitForActiveAsync(world.Membership, world.Cluster.Ports.Take(2).Select(p => p.Silo), DeathLimit);

        // Survivors serve every tenant again, those whose grains lived on the killed silo included.
        var survivors = new[] { world.ChannelTo(0), world.ChannelTo(1) };
        while (true)
        {
            var served = await Task.WhenAll(names.Select(async (n, i) =>
            {
                try
                {
                    return (await GetAsync(world, survivors[i % 2], n, TimeSpan.FromSeconds(5))).State == Tenant.Types.State.Active;
                }
                catch (RpcException)
                {
                    return false;
                }
            }));
            if (served.All(s => s))
            {
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(40), "the survivors never served every tenant");
            await Task.Delay(100);
        }

        var servedAgain = clock.Elapsed;
        await calling.CancelAsync();
        var results = await Task.WhenAll(callers);
        var calls = results.Sum(r => r.Calls);
        output.WriteLine($"silo {killedSilo} declared dead {declaredDead.TotalSeconds:F1} s after SIGKILL; all {names.Count} tenants served again after {servedAgain.TotalSeconds:F1} s; " +
            $"{calls} calls through the client library meanwhile, {results.Sum(r => r.Retried)} answered after a retry, " +
            $"{results.Sum(r => r.Failures.Count)} UNAVAILABLE after every attempt (begun {string.Join(", ", results.SelectMany(r => r.Failures).Select(f => $"{(f.Began - killedAt).TotalSeconds:F1} s"))} after SIGKILL)");
        Assert.True(declaredDead < DeathLimit);

        // A caller may see UNAVAILABLE only for a call begun while the killed silo was not yet declared dead: the
        // cluster cannot reach the grains it held, and the client's attempts (about 1.5 s of backoff) can all fall in
        // that window. Afterwards every call succeeds; nothing else (INTERNAL, UNKNOWN, a deadline) ever reaches them.
        var deadAt = killedAt + declaredDead;
        Assert.Empty(results.SelectMany(r => r.Failures)
            .Where(f => f.Exception.StatusCode != StatusCode.Unavailable || f.Began > deadAt)
            .Select(f => $"{f.Exception.StatusCode} {f.Exception.Status.Detail} (begun {(f.Began - killedAt).TotalSeconds:F1} s after SIGKILL)"));
        Assert.True(calls > 0);
        foreach (var channel in survivors)
        {
            channel.Dispose();
        }
    }

    /// <summary>
    /// Sessions live through a SIGKILL: six sessions with guests waiting and admitted, each watched by a stream opened
    /// on the process that is then killed (so every watcher loses its stream; with six grains placed over three silos
    /// the killed one most likely held some of them too). The watchers reconnect through the balanced channel with
    /// the last sequence they saw; the sessions go on (an admission, a join, the end) and afterwards each holds exactly
    /// the participants the acknowledged calls imply, and each watcher saw its whole timeline once, without a gap.
    /// </summary>
    [Fact]
    public async Task Sessions_keep_their_lobby_and_participants_through_a_SIGKILL_and_their_watchers_resume_from_the_last_event_without_a_gap()
    {
        await using var world = await ClusterWorld.StartAsync(fixture);
        using var balanced = BalancedChannel.Create(world.Cluster.ApiPorts);
        using var doomed = world.ChannelTo(2);
        var tenantName = (await world.OnboardAsync(balanced, 1))[0];
        var tenantId = tenantName["tenants/".Length..];
        var tenant = new OnboardedTenant(tenantName, tenantId, $"t{tenantId[..8]}.example")
        {
            Technician = await TestEmulator.AddLicensedMemberAsync(fixture.Emulator, tenantId),
        };
        var sessions = new SessionService.SessionServiceClient(world.Writer(balanced));
        var names = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            names.Add((await sessions.CreateSessionAsync(SessionWorld.Schedule(tenant, tenant.Technician))).Session.Name);
        }

        var watchers = names.Select(n => new ResumingWatcher(new SessionService.SessionServiceClient(world.Writer(doomed)), sessions, n)).ToArray();
        var watching = watchers.Select(w => w.RunAsync()).ToArray();
        var guests = new Dictionary<string, string[]>();
        foreach (var name in names)
        {
            var a = await UntilAnsweredAsync(() => sessions.JoinSessionAsync(Join(name, "a")).ResponseAsync);
            var b = await UntilAnsweredAsync(() => sessions.JoinSessionAsync(Join(name, "b")).ResponseAsync);
            await UntilAnsweredAsync(() => sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = name, ParticipantId = a.Participant.Id }).ResponseAsync);
            guests[name] = [a.Participant.Id, b.Participant.Id];
        }

        await Task.WhenAll(watchers.Select(w => w.CaughtUpAsync(6, TimeSpan.FromSeconds(10))));
        await world.Cluster.KillMemberAsync(2);
        var declaredDead = await LocalCluster.WaitForActiveAsync(world.Membership, world.Cluster.Ports.Take(2).Select(p => p.Silo), DeathLimit);

        // The sessions go on through the survivors: b is admitted, c joins and waits, a leaves.
        foreach (var name in names)
        {
            await UntilAnsweredAsync(() => sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = name, ParticipantId = guests[name][1] }).ResponseAsync);
            await UntilAnsweredAsync(() => sessions.JoinSessionAsync(Join(name, "c")).ResponseAsync);
            await UntilAnsweredAsync(() => sessions.LeaveSessionAsync(new LeaveSessionRequest { Name = name, ParticipantId = guests[name][0] }).ResponseAsync);
        }

        // Before the end: lobby and participants exactly as the calls left them.
        foreach (var name in names)
        {
            var view = (await UntilAnsweredAsync(() => sessions.GetSessionAsync(new GetSessionRequest { Name = name }).ResponseAsync)).Session;
            var states = view.Participants.ToDictionary(p => p.Id.Split('@')[0], p => p.State);
            Assert.Equal(new Dictionary<string, Participant.Types.State>
            {
                ["guest:a"] = Participant.Types.State.Left,
                ["guest:b"] = Participant.Types.State.Admitted,
                ["guest:c"] = Participant.Types.State.InLobby,
            }, states);
            Assert.Equal(Session.Types.State.Active, view.State);
        }

        foreach (var name in names)
        {
            await UntilAnsweredAsync(() => sessions.EndSessionAsync(new EndSessionRequest { RequestId = TestIds.NewRequestId(), Name = name }).ResponseAsync);
        }

        await Task.WhenAll(watching).WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var (name, watcher) in names.Zip(watchers))
        {
            var timeline = (await sessions.GetSessionAsync(new GetSessionRequest { Name = name, View = SessionView.Full })).Session.Events;
            Assert.Equal(Enumerable.Range(1, timeline.Count).Select(i => (long)i), watcher.Events.Select(e => e.Sequence));
            Assert.Equal(timeline, watcher.Events);
            Assert.True(watcher.Reconnects > 0, $"{name}: the watcher's stream on the killed process never broke");
        }

        output.WriteLine($"declared dead {declaredDead.TotalSeconds:F1} s after SIGKILL; watchers reconnected {string.Join(", ", watchers.Select(w => w.Reconnects))} times; timelines of {string.Join(", ", watchers.Select(w => w.Events.Count))} events");
    }

    /// <summary>
    /// Reads and renames tenants (all but the first) through the client library until cancelled (updates without a request_id: the client
    /// gives each one); returns how many calls were made, how many succeeded after a retry, and every failure with when its call began.
    /// </summary>
    private static async Task<(int Calls, int Retried, List<(DateTime Began, RpcException Exception)> Failures)> CallUntilCancelledAsync(
        RAOrchestratorClient api, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var (calls, retried, failures) = (0, 0, new List<(DateTime, RpcException)>());
        while (!cancellationToken.IsCancellationRequested)
        {
            var began = DateTime.UtcNow;
            var name = names[1 + (calls % (names.Count - 1))]; // not names[0], whose etag the test compares
            try
            {
                using var call = calls % 4 == 3
                    ? Headers(api.Tenants.UpdateTenantAsync(new UpdateTenantRequest
                    {
                        Tenant = new Tenant { Name = name, DisplayName = $"Renamed {calls}" },
                        UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "display_name" } },
                    }, deadline: DateTime.UtcNow.AddSeconds(10)))
                    : Headers(api.Tenants.GetTenantAsync(new GetTenantRequest { Name = name }, deadline: DateTime.UtcNow.AddSeconds(10)));
                if ((await call.Headers).Get("grpc-previous-rpc-attempts") is not null)
                {
                    retried++;
                }

                await call.Response;
            }
            catch (RpcException ex)
            {
                failures.Add((began, ex));
            }

            calls++;
        }

        return (calls, retried, failures);
    }

    private static HeadersAndResponse Headers<T>(AsyncUnaryCall<T> call) => new(call.ResponseHeadersAsync, call.ResponseAsync, call);

    private sealed record HeadersAndResponse(Task<Metadata> Headers, Task Response, IDisposable Call) : IDisposable
    {
        public void Dispose() => Call.Dispose();
    }

    private static JoinSessionRequest Join(string session, string guest) =>
        new() { Name = session, Person = SessionWorld.Guest($"{guest}@oem.example", $"Guest {guest}"), Client = ClientKind.TeamsDesktop };

    /// <summary>The same call again while the cluster answers UNAVAILABLE (a silo died and is not declared dead yet).</summary>
    private static async Task<T> UntilAnsweredAsync<T>(Func<Task<T>> call)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>A WatchSession that starts on one channel and, when its stream breaks, resumes on another after the last sequence it saw.</summary>
    private sealed class ResumingWatcher(SessionService.SessionServiceClient first, SessionService.SessionServiceClient then, string name)
    {
        private long _last;

        public List<SessionEvent> Events { get; } = [];

        public int Reconnects { get; private set; }

        public async Task RunAsync()
        {
            var client = first;
            while (true)
            {
                try
                {
                    using var call = client.WatchSession(new WatchSessionRequest { Name = name, AfterSequence = _last });
                    await foreach (var response in call.ResponseStream.ReadAllAsync())
                    {
                        Events.Add(response.Event);
                        Interlocked.Exchange(ref _last, response.Event.Sequence);
                    }

                    if (Events.Count > 0 && Events[^1].Kind == SessionEvent.Types.Kind.Ended)
                    {
                        return;
                    }
                }
                catch (RpcException)
                {
                }

                Reconnects++;
                client = then;
                await Task.Delay(200);
            }
        }

        public async Task CaughtUpAsync(long sequence, TimeSpan limit)
        {
            var clock = Stopwatch.StartNew();
            while (Interlocked.Read(ref _last) < sequence)
            {
                Assert.True(clock.Elapsed < limit, $"{name}: the watcher saw {Interlocked.Read(ref _last)} of {sequence} events");
                await Task.Delay(50);
            }
        }
    }

    private static async Task<Tenant> GetAsync(ClusterWorld world, GrpcChannel channel, string name, TimeSpan? deadline = null)
    {
        var tenants = new TenantService.TenantServiceClient(world.Writer(channel));
        var response = await tenants.GetTenantAsync(new GetTenantRequest { Name = name }, deadline: DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(30)));
        return response.Tenant;
    }
}
