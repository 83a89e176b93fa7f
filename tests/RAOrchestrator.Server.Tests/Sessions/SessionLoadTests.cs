using System.Collections.Concurrent;
using System.Diagnostics;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using Xunit.Abstractions;
using static RAOrchestrator.Server.Tests.Infrastructure.SessionWorld;

namespace RAOrchestrator.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class SessionLoadTests(ServerFixture fixture, ITestOutputHelper output)
{
    private const int Tenants = 10;
    private const int SessionsPerTenant = 100;
    private const int InFlight = 200;

    [Fact]
    public async Task A_thousand_sessions_of_five_participants_two_hundred_at_a_time_end_with_everyone_in_the_right_state_and_every_watch_complete()
    {
        var world = new SessionWorld(fixture, TestIds.NewPartner());
        var tenants = await Task.WhenAll(Enumerable.Range(0, Tenants).Select(_ => world.TenantAsync()));
        var sessions = world.Sessions;
        var failures = new ConcurrentQueue<string>();
        using var gate = new SemaphoreSlim(InFlight);
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(tenants.SelectMany(t => Enumerable.Range(0, SessionsPerTenant).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                await RunOneAsync(sessions, t, i, failures);
            }
            catch (Exception ex)
            {
                failures.Enqueue($"{t.TenantId}/{i}: {ex.GetType().Name}: {ex.Message}");
            }
            finally
            {
                gate.Release();
            }
        })));

        output.WriteLine($"{Tenants * SessionsPerTenant} sessions, {Tenants * SessionsPerTenant * 5} participants in {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var failure in failures.Take(3))
        {
            output.WriteLine(failure);
        }

        Assert.Empty(failures.Take(10));
    }

    /// <summary>
    /// One session: the technician joins from HoloLens (admitted as organizer), four guests wait in the lobby, three are
    /// admitted and one denied, one admitted guest leaves, the session ends. A watcher follows it from before the first join.
    /// </summary>
    private static async Task RunOneAsync(SessionService.SessionServiceClient sessions, OnboardedTenant tenant, int index, ConcurrentQueue<string> failures)
    {
        var guests = Enumerable.Range(0, 4).Select(g => Guest($"guest{g}.s{index}@oem.example", $"Guest {g}")).ToArray();
        var request = Schedule(tenant, tenant.Technician, guests);
        request.SessionId = $"load-{index}";
        var name = (await sessions.CreateSessionAsync(request)).Session.Name;
        var watcher = WatchToEndAsync(sessions, name);

        await sessions.JoinSessionAsync(new JoinSessionRequest { Name = name, Person = Member(tenant.Technician), Client = ClientKind.RemoteAssistHololens });
        var ids = new string[4];
        for (var g = 0; g < 4; g++)
        {
            ids[g] = (await sessions.JoinSessionAsync(new JoinSessionRequest { Name = name, Person = guests[g], Client = ClientKind.TeamsDesktop })).Participant.Id;
        }

        for (var g = 0; g < 3; g++)
        {
            await sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = name, ParticipantId = ids[g], Actor = Member(tenant.Technician) });
        }

        await sessions.DenyParticipantAsync(new DenyParticipantRequest { Name = name, ParticipantId = ids[3], Actor = Member(tenant.Technician) });
        await sessions.LeaveSessionAsync(new LeaveSessionRequest { Name = name, ParticipantId = ids[0] });
        var ended = (await sessions.EndSessionAsync(new EndSessionRequest { Name = name })).Session;
        var events = await watcher.WaitAsync(TimeSpan.FromMinutes(2));

        var states = ended.Participants.ToDictionary(p => p.Id, p => (p.State, p.StateReason));
        var expected = new Dictionary<string, (Participant.Types.State, string)>
        {
            [$"user:{tenant.TenantId}/{tenant.Technician}"] = (Participant.Types.State.Left, "SESSION_ENDED"),
            [ids[0]] = (Participant.Types.State.Left, "LEFT"),
            [ids[1]] = (Participant.Types.State.Left, "SESSION_ENDED"),
            [ids[2]] = (Participant.Types.State.Left, "SESSION_ENDED"),
            [ids[3]] = (Participant.Types.State.Denied, "ADMISSION_DENIED"),
        };
        if (!expected.OrderBy(e => e.Key).SequenceEqual(states.OrderBy(e => e.Key)))
        {
            failures.Enqueue($"{name}: participants {string.Join(", ", states.Select(s => $"{s.Key}={s.Value}"))}");
        }

        if (events.Count != ended.LastSequence || events.Select((e, i) => e.Sequence == i + 1).Any(ok => !ok) || events[^1].Kind != SessionEvent.Types.Kind.Ended)
        {
            failures.Enqueue($"{name}: watcher saw {events.Count} of {ended.LastSequence} events, last {events.LastOrDefault()?.Kind}");
        }
    }
}
