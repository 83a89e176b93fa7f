using System.Collections.Immutable;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Storage;
using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Domain.Sessions;
using RAOrchestrator.Grains.Sessions;
using RAOrchestrator.Grains.Sessions.Storage;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>The session store against a real Azurite, with the host's serializer; each test its own table.</summary>
[Collection(ServerCollection.Name)]
public sealed class SessionStoreTests(ServerFixture fixture)
{
    private readonly string _tableName = "sessionstore" + Guid.NewGuid().ToString("N")[..12];

    private Serializer Serializer => fixture.Server.Services.GetRequiredService<Serializer>();

    private TableClient Table => new TableServiceClient(fixture.Azurite.ConnectionString).GetTableClient(_tableName);

    private TableSessionStore NewStore() => new(new TableServiceClient(fixture.Azurite.ConnectionString), Serializer, _tableName);

    private SessionLog NewLog(ISessionStore store, string key) => new(store, key, NullLogger.Instance);

    [Fact]
    public async Task A_scheduled_session_and_its_steps_read_back_byte_for_byte()
    {
        var store = NewStore();
        var key = NewKey();
        var log = await PendingLogAsync(store, key);
        Assert.Equal(1, log.Version);
        await AssertReadsBackAsync(store, key, log);

        await ScheduleAsync(log, key);
        foreach (var step in Steps(log.State.Session!, 6))
        {
            await log.AppendAsync(step);
        }

        Assert.Equal(8, log.Version);
        Assert.Equal(2, log.SnapshotVersion);
        var read = await AssertReadsBackAsync(store, key, log);
        Assert.Equal(6, (await store.ReadAsync(key)).Deltas.Count);
        Assert.Equal(8, read.Version);
    }

    [Fact]
    public async Task A_session_flooded_with_made_up_joins_stays_within_its_bounds_and_reads_back()
    {
        var store = NewStore();
        var key = NewKey();
        var log = await ScheduledLogAsync(store, key);
        var organizer = SessionActor.Person(Organizer);
        var s = log.State.Session!;
        await log.AppendAsync(s = s with { Limits = s.Limits with { MaxAnonymousLobbyEntries = int.MaxValue } });
        var longest = new string('x', EmailAddress.MaxLength - "@spam.example".Length - 6);
        for (var i = 0; i < 600; i++)
        {
            // Each made-up guest at the longest address and name, joining and denied: one stored step each.
            var who = Principal.AnonymousGuest($"{i:D6}{longest}@spam.example", new string('n', 256));
            var joined = s.Join(new JoinRequest(who, ClientKind.TeamsDesktop, null), Inputs(), [], Start, CryptoSessionRandom.Instance);
            var denied = joined.State.Deny(organizer, who.Key, Start);
            Assert.True(joined.Succeeded && denied.Succeeded, $"{joined.Refusal} {denied.Refusal}");
            await log.AppendAsync(s = denied.State);
        }

        Assert.Equal(s.Limits.MaxParticipantRecords, s.Participants.Count);
        Assert.Equal(s.Limits.MaxEvents, s.Events.Count);
        var snapshot = Serializer.SerializeToArray(log.State).Length;
        Assert.True(snapshot < 900 * 1024, $"{snapshot} bytes");
        await AssertReadsBackAsync(store, key, log);
    }

    [Fact]
    public async Task An_insert_sent_again_after_its_answer_was_lost_counts_as_written_and_stores_one_row()
    {
        var store = NewStore();
        var key = NewKey();
        var log = await ScheduledLogAsync(store, key);
        var step = Steps(log.State.Session!, 1).Single();
        var delta = SessionDelta.Between(log.State.Session!, step);

        // The same version with the same bytes twice, as the client library's retry of an insert that landed sends it.
        await store.AppendAsync(key, log.Version + 1, delta);
        await store.AppendAsync(key, log.Version + 1, delta);

        Assert.Equal([log.Version + 1], (await store.ReadAsync(key)).Deltas.Select(d => d.Version));
        await log.AppendAsync(step); // the log's own view of the step: the store must read back exactly that
        await AssertReadsBackAsync(store, key, log);
    }

    [Fact]
    public async Task A_snapshot_or_a_clear_sent_again_after_its_answer_was_lost_counts_as_written_and_a_different_snapshot_stays_a_conflict()
    {
        var store = NewStore();
        var key = NewKey();
        var log = await ScheduledLogAsync(store, key);
        var read = await store.ReadAsync(key);
        var next = log.State;
        next.RequestId = "replaced";

        // The same replacement twice with the etag it was sent with, as the client library's retry of a write that landed sends it.
        var etag = await store.WriteSnapshotAsync(key, read.SnapshotVersion + 1, next, read.ETag);
        var again = await store.WriteSnapshotAsync(key, read.SnapshotVersion + 1, next, read.ETag);
        Assert.Equal(etag, again);
        Assert.Equal((read.SnapshotVersion + 1, etag), ((await store.ReadAsync(key)).SnapshotVersion, (await store.ReadAsync(key)).ETag));

        // Different bytes at that version, or the same bytes at another, were not this write: still a conflict.
        next.RequestId = "another";
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.WriteSnapshotAsync(key, read.SnapshotVersion + 1, next, read.ETag));
        next.RequestId = "replaced";
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.WriteSnapshotAsync(key, read.SnapshotVersion + 2, next, read.ETag));
        Assert.Equal(etag, (await store.ReadAsync(key)).ETag);

        // A clear sent again finds the snapshot gone: cleared.
        await store.ClearAsync(key, etag);
        await store.ClearAsync(key, etag);
        Assert.Null((await store.ReadAsync(key)).Snapshot);
    }

    [Fact]
    public async Task A_second_activation_that_writes_a_version_already_written_fails_with_an_inconsistent_state()
    {
        var store = NewStore();
        var key = NewKey();
        var first = await ScheduledLogAsync(store, key);
        var second = NewLog(store, key);
        await second.ReadAsync();
        var steps = Steps(first.State.Session!, 2).ToList();

        await first.AppendAsync(steps[0]);
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => second.AppendAsync(steps[1]));
        Assert.Equal(409, Assert.IsType<Azure.RequestFailedException>(conflict.InnerException).Status);

        // Its whole-state writes are refused too (the snapshot's etag is the one it read).
        var stale = NewLog(store, key);
        await stale.ReadAsync();
        await first.AppendAsync(steps[1]);
        first.State.RequestId = "changed";
        await first.WriteAsync(first.State);
        await Assert.ThrowsAsync<InconsistentStateException>(() => stale.WriteAsync(stale.State));
        await Assert.ThrowsAsync<InconsistentStateException>(() => stale.ClearAsync());

        // A fresh read sees the first activation's writes.
        await AssertReadsBackAsync(store, key, first);
    }

    [Fact]
    public async Task Every_32_deltas_become_a_snapshot_and_a_read_replays_only_the_deltas_after_it()
    {
        var store = NewStore();
        var key = NewKey();
        var log = await ScheduledLogAsync(store, key);
        var steps = Steps(log.State.Session!, 45).ToList();
        foreach (var step in steps)
        {
            await log.AppendAsync(step);
        }

        // Versions: 1 pending, 2 scheduled, 3..47 the steps; the snapshot folded in the deltas up to 2 + 32.
        Assert.Equal(47, log.Version);
        Assert.Equal(34, log.SnapshotVersion);
        var stored = await store.ReadAsync(key);
        Assert.Equal(34, stored.SnapshotVersion);
        Assert.Equal(Enumerable.Range(35, 13).Select(v => (long)v), stored.Deltas.Select(d => d.Version));

        // Superseded deltas stay (see TableSessionStore); a read stops at the first of them.
        var rows = await Table.QueryAsync<TableEntity>(TableSessionStore.RowsOf(key), select: ["RowKey"]).ToListAsync();
        Assert.Equal(1 + 45, rows.Count);

        await AssertReadsBackAsync(store, key, log);
    }

    [Fact]
    public async Task A_snapshot_over_64_KiB_is_split_over_properties_and_reads_back()
    {
        var store = NewStore();
        var key = NewKey();
        var log = await ScheduledLogAsync(store, key);
        var session = log.State.Session!;
        var events = Enumerable.Range(1, 900)
            .Select(i => new SessionEvent(session.LastSequence + i, session.CreatedAt, SessionEventKind.Invited, $"guest:g{i}@example.com", "user:x", new string('R', 200)));
        log.State.Session = session with { Events = session.Events.AddRange(events) };
        await log.WriteAsync(log.State);

        var size = Serializer.SerializeToArray(log.State).Length;
        Assert.True(size > 3 * TableBinary.MaxChunkBytes, $"{size} bytes");
        var row = (await Table.GetEntityAsync<TableEntity>(TableSessionStore.PartitionOf(key), TableSessionStore.RowPrefix(key) + TableSessionStore.SnapshotRowKey)).Value;
        Assert.Equal((size + TableBinary.MaxChunkBytes - 1) / TableBinary.MaxChunkBytes, row.Keys.Count(k => k.StartsWith("Data", StringComparison.Ordinal)));
        Assert.All(row.Keys.Where(k => k.StartsWith("Data", StringComparison.Ordinal)), k => Assert.True(row.GetBinary(k)!.Length <= TableBinary.MaxChunkBytes));

        await AssertReadsBackAsync(store, key, log);
    }

    [Fact]
    public async Task Clearing_deletes_the_session_and_a_new_one_starts_from_nothing()
    {
        var store = NewStore();
        var key = NewKey();
        var log = await PendingLogAsync(store, key);
        await log.ClearAsync();
        Assert.Empty(await Table.QueryAsync<TableEntity>(TableSessionStore.RowsOf(key)).ToListAsync());
        var fresh = NewLog(store, key);
        await fresh.ReadAsync();
        Assert.Equal(0, fresh.Version);
        Assert.Null(fresh.State.Pending);

        log.State.PartnerId = "partner-2";
        await log.WriteAsync(log.State);
        Assert.Equal("partner-2", (await AssertReadsBackAsync(store, key, log)).State.PartnerId);
    }

    [Fact]
    public async Task Steps_of_many_sessions_stored_at_once_share_transactions_and_each_reads_back()
    {
        var store = NewStore();
        var logs = new List<SessionLog>();
        for (var i = 0; i < 200; i++)
        {
            logs.Add(await ScheduledLogAsync(store, NewKey()));
        }

        var before = store.InsertStatistics;
        await Task.WhenAll(logs.Select(log => log.AppendAsync(Steps(log.State.Session!, 1).Single())));
        var (requests, rows) = (store.InsertStatistics.Requests - before.Requests, store.InsertStatistics.Rows - before.Rows);

        Assert.Equal(200, rows);
        Assert.True(requests < rows, $"{rows} steps took {requests} storage requests");
        foreach (var log in logs)
        {
            await AssertReadsBackAsync(store, log.Key, log);
        }
    }

    [Fact]
    public async Task A_step_refused_inside_a_shared_transaction_fails_alone_and_the_others_are_stored()
    {
        var store = NewStore();
        var keys = KeysOfOneShard(20);
        var logs = new List<SessionLog>();
        foreach (var key in keys)
        {
            logs.Add(await ScheduledLogAsync(store, key));
        }

        // Another activation of the last session stores its next version first, so the last log's step conflicts.
        var victim = logs[^1];
        var steps = Steps(victim.State.Session!, 2).ToList();
        var other = NewLog(store, victim.Key);
        await other.ReadAsync();
        await other.AppendAsync(steps[0]);

        var before = store.InsertStatistics;
        var others = logs[..^1].Select(log => log.AppendAsync(Steps(log.State.Session!, 1).Single())).ToList();
        var refused = victim.AppendAsync(steps[1]);
        await Task.WhenAll(others);
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => refused);

        Assert.Equal(409, Assert.IsAssignableFrom<Azure.RequestFailedException>(conflict.InnerException).Status);
        Assert.True(store.InsertStatistics.Requests - before.Requests < logs.Count, "the steps were not sent together");
        foreach (var log in logs[..^1])
        {
            await AssertReadsBackAsync(store, log.Key, log);
        }

        await AssertReadsBackAsync(store, victim.Key, other);
    }

    [Fact]
    public async Task Keys_with_characters_a_table_key_refuses_are_escaped_one_to_one()
    {
        Assert.Equal("tenants%2Fa%2Fsessions%2Fb", TableKeys.Escape("tenants/a/sessions/b"));
        Assert.NotEqual(TableKeys.Escape("a/b"), TableKeys.Escape("a%2Fb"));
        Assert.Equal("plain-key", TableKeys.Escape("plain-key"));

        var store = NewStore();
        var hostile = "tenants/x\\y#z?%25\u0001\u007f/sessions/" + Guid.NewGuid().ToString("N");
        var log = await ScheduledLogAsync(store, hostile);
        await log.AppendAsync(Steps(log.State.Session!, 1).Single());
        await AssertReadsBackAsync(store, hostile, log);
    }

    /// <summary>
    /// A new activation's read equals the writer's state, compared as the serializer writes it: the grain state without
    /// its session, the session's header, and every invitation, participant, ticket and event, each on its own. (The
    /// whole session's bytes can differ: the serializer writes a second occurrence of one string instance as a
    /// reference, and the same participant id is one instance in memory but one per delta row once read back.)
    /// </summary>
    private async Task<SessionLog> AssertReadsBackAsync(ISessionStore store, string key, SessionLog written)
    {
        var read = NewLog(store, key);
        await read.ReadAsync();
        Assert.Equal(written.Version, read.Version);
        AssertSameBytes(Without(written.State), Without(read.State), "grain state");
        if (written.State.Session is { } w)
        {
            var r = read.State.Session!;
            AssertSameBytes(Header(w), Header(r), "header");
            AssertSameEntries(w.Invitations, r.Invitations);
            AssertSameEntries(w.Participants, r.Participants);
            AssertSameEntries(w.Tickets, r.Tickets);
            Assert.Equal(w.Events.Count, r.Events.Count);
            for (var i = 0; i < w.Events.Count; i++)
            {
                AssertSameBytes(w.Events[i], r.Events[i], $"event {i + 1}");
            }
        }
        else
        {
            Assert.Null(read.State.Session);
        }

        return read;

        static SessionGrainState Without(SessionGrainState s) => new() { PartnerId = s.PartnerId, RequestId = s.RequestId, Pending = s.Pending };

        static SessionState Header(SessionState s) => s with
        {
            Invitations = ImmutableDictionary<string, Invitation>.Empty,
            Participants = ImmutableDictionary<string, Participant>.Empty,
            Tickets = ImmutableDictionary<string, TicketRecord>.Empty,
            Events = ImmutableList<SessionEvent>.Empty,
        };

        void AssertSameEntries<T>(ImmutableDictionary<string, T> expected, ImmutableDictionary<string, T> actual)
        {
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
            foreach (var (k, v) in expected)
            {
                AssertSameBytes(v, actual[k], k);
            }
        }
    }

    private void AssertSameBytes<T>(T expected, T actual, string what) =>
        Assert.True(Serializer.SerializeToArray(expected).AsSpan().SequenceEqual(Serializer.SerializeToArray(actual)), $"{what}: {expected} != {actual}");

    private async Task<SessionLog> ScheduledLogAsync(ISessionStore store, string key)
    {
        var log = await PendingLogAsync(store, key);
        await ScheduleAsync(log, key);
        return log;
    }

    /// <summary>As the grain starts scheduling: the request stored first (version 1).</summary>
    private async Task<SessionLog> PendingLogAsync(ISessionStore store, string key)
    {
        var log = NewLog(store, key);
        await log.ReadAsync();
        Assert.Equal(0, log.Version);
        log.State.PartnerId = "partner-1";
        log.State.RequestId = "request-1";
        log.State.Pending = Spec();
        await log.WriteAsync(log.State);
        return log;
    }

    /// <summary>As the grain finishes scheduling: the new session replaces the request (version 2).</summary>
    private static async Task ScheduleAsync(SessionLog log, string key)
    {
        log.State.Session = Scheduled(key);
        log.State.Pending = null;
        await log.WriteAsync(log.State);
    }

    private static string NewKey() => $"tenants/{Guid.NewGuid():D}/sessions/s-{Guid.NewGuid():N}";

    /// <summary>New session keys that all land in one partition, so their steps can share a transaction.</summary>
    private static List<string> KeysOfOneShard(int count)
    {
        var first = NewKey();
        var keys = new List<string> { first };
        while (keys.Count < count)
        {
            var key = NewKey();
            if (TableSessionStore.PartitionOf(key) == TableSessionStore.PartitionOf(first))
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    private static readonly Principal Organizer = Principal.Member("11111111-1111-1111-1111-111111111111", "tech", "Taylor Technician", "taylor@abc.example");
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Start = Now.AddMinutes(5);

    private static SessionSpec Spec() =>
        new(new PersonRef(PersonKind.TenantUser, Organizer.TenantId, Organizer.UserId, null, null), "Pump P-17", Start, Start.AddHours(1), [], [], null);

    private static SessionPolicyInputs Inputs() => new(
        new TenantMeetingSettings(Organizer.TenantId!, false, ExternalAccessPolicy.AllowAll),
        new OrganizerFacts(Organizer, true, OrganizerMeetingPolicy.Default),
        ImmutableDictionary<string, FederatedTenantFacts>.Empty,
        BarrierVerdicts.None);

    private static SessionState Scheduled(string name)
    {
        var request = new ScheduleRequest(name, "Pump P-17", Start, Start.AddHours(1), false, [], [], new LobbySettings(LobbyScope.Organizer, false, false, TimeSpan.FromMinutes(30)));
        var meeting = new OnlineMeeting("https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0", "m-1", LobbyPolicy.ForTeamsMeeting(LobbySettings.Default, gateFrontsMeeting: true));
        return SessionState.Schedule(request, Inputs(), meeting, Now).GetValueOrThrow();
    }

    /// <summary>Real rule steps, at most 48: colleagues join (the lobby: only the organizer bypasses it) and are admitted in turn.</summary>
    private static IEnumerable<SessionState> Steps(SessionState s, int count)
    {
        var organizer = SessionActor.Person(Organizer);
        for (var i = 0; i < count; i++)
        {
            var who = Principal.Member(Organizer.TenantId!, $"colleague-{i / 2}", $"Colleague {i / 2}");
            var at = Start.AddSeconds(i);
            var step = i % 2 == 0
                ? s.Join(new JoinRequest(who, ClientKind.TeamsDesktop, null), Inputs(), [], at, CryptoSessionRandom.Instance).State
                : s.Admit(organizer, who.Key, BarrierVerdicts.None, at, CryptoSessionRandom.Instance).State;
            Assert.NotSame(s, step);
            s = step;
            yield return s;
        }
    }
}
