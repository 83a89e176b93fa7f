using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Domain.Sessions;
using RAOrchestrator.Grains.Sessions;
using RAOrchestrator.Grains.Sessions.Storage;
using IReminderTable = Orleans.IReminderTable;

namespace RAOrchestrator.Bench;

/// <summary>
/// Memory per idle session grain: <c>count</c> scheduled sessions are activated through
/// <see cref="ISessionGrain.TryGetAsync"/> in the real host. Activation runs the grain's own <c>OnActivateAsync</c>: it
/// reads its state, applies the clock and arms its grain timer and its reminder, as after a silo restart. Full
/// compacting collections before and after; the deltas of the managed heap and of the process's working set, divided
/// by the count.
/// <para>
/// Azurite cannot hold 100,000 grain states at a usable speed on this machine (inserts slow down as the table grows;
/// at about 37,000 they timed out), so two stores are replaced in this process only: the session store
/// (<see cref="ScheduledSessionStore"/>, in memory, not table storage) answers each session's read with a scheduled
/// state (made by <see cref="SessionState.Schedule"/> and passed through the host's serializer, so every grain gets its
/// own deserialized copy, as from table storage, with a table-style etag), and the
/// reminder table accepts registrations without keeping them (the silo's reminder service still keeps its own entry
/// and timer for each, which is what a silo holds per reminder). Nothing is kept per grain outside the grains.
/// </para>
/// Usage: session-memory [count=100000] [parallelism=64]
/// </summary>
public static class SessionMemoryBenchmark
{
    private const string Partner = "bench-partner";

    public static int Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var parallelism = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
        RunAsync(count, parallelism).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task RunAsync(int count, int parallelism)
    {
        var tenantId = Guid.NewGuid().ToString("D");
        var organizer = Principal.Member(tenantId, Guid.NewGuid().ToString("D"), "Hanna Technician", $"hololens-tech@t{tenantId[..8]}.example");
        var now = DateTimeOffset.UtcNow;
        var prefix = $"tenants/{tenantId}/sessions/idle-";
        SessionGrainState? Stored(string name) => name.StartsWith(prefix, StringComparison.Ordinal)
            ? new SessionGrainState { PartnerId = Partner, RequestId = Guid.NewGuid().ToString(), Session = Scheduled(name, organizer, now) }
            : null;

        await using var stack = await LocalStack.StartAsync(lastWord: services =>
        {
            services.AddSingleton<ISessionStore>(sp => new ScheduledSessionStore(sp.GetRequiredService<Serializer>(), Stored));
            services.AddSingleton<IReminderTable, UnkeptReminderTable>();
        });
        var grains = stack.App.Services.GetRequiredService<IGrainFactory>();
        var stored = stack.App.Services.GetRequiredService<Serializer>().SerializeToArray(Stored(prefix + "0"));

        var before = await MeasureAsync(grains);
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, ct) =>
        {
            _ = await grains.GetGrain<ISessionGrain>(prefix + i).TryGetAsync(Partner) ?? throw new InvalidOperationException($"{prefix}{i} did not load its state");
        });
        var activated = clock.Elapsed;
        var after = await MeasureAsync(grains);

        // For scale: the same number of activations of a grain with no state, no timer and no reminder.
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, ct) =>
            await grains.GetGrain<JoinAdmit.INoOpGrain>(i).PingAsync());
        var floor = await MeasureAsync(grains);

        double PerGrain(long delta) => (double)delta / count;
        Console.WriteLine($"session-memory: {count:#,0} idle scheduled sessions (organizer only, one event, timer and reminder armed), activated through ISessionGrain.TryGetAsync in {activated.TotalSeconds:0.0} s");
        Console.WriteLine("  storage                  IN-MEMORY STAND-IN for the session store (snapshots made on read, writes not kept) and a reminder table that keeps nothing; not Azure Table storage");
        Console.WriteLine($"  state as stored          {stored.Length:#,0} bytes a session (the host's serializer)");
        Console.WriteLine($"  activations              {before.Activations:#,0} before, {after.Activations:#,0} after");
        Console.WriteLine($"  managed heap             {Mib(before.Heap)} -> {Mib(after.Heap)}: {PerGrain(after.Heap - before.Heap):#,0} bytes a grain");
        Console.WriteLine($"  GC committed             {Mib(before.Committed)} -> {Mib(after.Committed)}: {PerGrain(after.Committed - before.Committed):#,0} bytes a grain");
        Console.WriteLine($"  working set              {Mib(before.WorkingSet)} -> {Mib(after.WorkingSet)}: {PerGrain(after.WorkingSet - before.WorkingSet):#,0} bytes a grain");
        Console.WriteLine($"  private bytes            {Mib(before.Private)} -> {Mib(after.Private)}: {PerGrain(after.Private - before.Private):#,0} bytes a grain");
        Console.WriteLine($"  for scale: {count:#,0} more activations of a stateless no-op grain: managed heap +{PerGrain(floor.Heap - after.Heap):#,0}, working set +{PerGrain(floor.WorkingSet - after.WorkingSet):#,0} bytes a grain ({floor.Activations:#,0} activations)");
    }

    /// <summary>A session as <see cref="SessionState.Schedule"/> makes it: the organizer, no invitees, the Teams meeting, the tenant's default lobby.</summary>
    private static SessionState Scheduled(string name, Principal organizer, DateTimeOffset now)
    {
        var inputs = new SessionPolicyInputs(
            new TenantMeetingSettings(organizer.TenantId!, false, ExternalAccessPolicy.AllowOnly()),
            new OrganizerFacts(organizer, true, OrganizerMeetingPolicy.Default),
            ImmutableDictionary<string, FederatedTenantFacts>.Empty,
            BarrierVerdicts.None);
        var request = new ScheduleRequest(name, "Pump P-17 alignment", now.AddHours(1), now.AddHours(2), false, [], [], null);
        var meeting = new OnlineMeeting(
            $"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{Guid.NewGuid():N}%40thread.v2/0",
            Guid.NewGuid().ToString("N"),
            LobbyPolicy.ForTeamsMeeting(LobbySettings.Default, gateFrontsMeeting: true));
        var decision = SessionState.Schedule(request, inputs, meeting, now);
        return decision.Value ?? throw new InvalidOperationException(decision.Refusal!.Message);
    }

    private static async Task<Snapshot> MeasureAsync(IGrainFactory grains)
    {
        // Twice, with finalizers in between, so objects freed by finalizers are gone too; compacting, so the heap size is what is live.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        using var process = Process.GetCurrentProcess();
        var activations = await grains.GetGrain<IManagementGrain>(0).GetTotalActivationCount();
        return new Snapshot(GC.GetTotalMemory(forceFullCollection: false), info.TotalCommittedBytes, process.WorkingSet64, process.PrivateMemorySize64, activations);
    }

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):#,0.0} MiB");

    private sealed record Snapshot(long Heap, long Committed, long WorkingSet, long Private, int Activations);
}

/// <summary>
/// NOT table storage: an in-process session store for this benchmark only. Reads answer a snapshot made by a function,
/// passed through the serializer (each read its own copy, as from table storage), with a table-style etag and no
/// deltas; appends and snapshots are accepted and not kept, so nothing is held per grain outside the grains.
/// </summary>
internal sealed class ScheduledSessionStore(Serializer serializer, Func<string, SessionGrainState?> stored) : ISessionStore
{
    public Task<StoredSession> ReadAsync(string key) => Task.FromResult(stored(key) is { } state
        ? new StoredSession(serializer.Deserialize<SessionGrainState>(serializer.SerializeToArray(state)), 2, ETag(), [])
        : StoredSession.Empty);

    public Task AppendAsync(string key, long version, SessionDelta delta) => Task.CompletedTask;

    public Task<string> WriteSnapshotAsync(string key, long version, SessionGrainState state, string? etag) => Task.FromResult(ETag());

    public Task ClearAsync(string key, string etag) => Task.CompletedTask;

    private static string ETag() => $"W/\"datetime'{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffffffZ}'\"";
}

/// <summary>A reminder table that accepts every registration and keeps none (reads find nothing).</summary>
internal sealed class UnkeptReminderTable : IReminderTable
{
    public Task<ReminderTableData> ReadRows(GrainId grainId) => Task.FromResult(new ReminderTableData());

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => Task.FromResult(new ReminderTableData());

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => Task.FromResult<ReminderEntry?>(null);

    public Task<string?> UpsertRow(ReminderEntry entry) => Task.FromResult<string?>(Guid.NewGuid().ToString("N"));

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => Task.FromResult(true);

    public Task TestOnlyClearTable() => Task.CompletedTask;
}
