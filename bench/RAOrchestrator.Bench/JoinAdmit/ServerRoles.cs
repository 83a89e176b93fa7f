using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RAOrchestrator.Bench.SessionStorage;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.Grains.Sessions.Storage;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Bench.JoinAdmit;

/// <summary>The server-side processes of the join-admit benchmark; each runs until its standard input closes.</summary>
public static class ServerRoles
{
    /// <summary>
    /// Guests a bench session takes: anonymous guests the session did not invite may ask to join 20 times
    /// (<c>SessionLimits.MaxAnonymousLobbyEntries</c>), under the 25 participants it admits at most.
    /// </summary>
    public const int ParticipantsPerSession = 20;

    /// <summary>
    /// The bare baseline: a minimal Kestrel app, HTTP/2 only on loopback, gRPC with no interceptor, no authentication,
    /// no telemetry, no logging; the same stream limit per connection as the host.
    /// </summary>
    public static async Task<int> EchoAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddGrpc();
        await using var app = builder.Build();
        app.MapGrpcService<BenchEchoService>();
        await app.StartAsync();
        ChildProcess.Report("ready", new { port, pid = Environment.ProcessId, processors = Environment.ProcessorCount });
        await ChildProcess.ServeAsync(_ => Task.FromResult(ChildProcess.RuntimeStats()));
        await app.StopAsync();
        return 0;
    }

    /// <summary>
    /// The real host (with Azurite and the Graph emulator, as every API benchmark runs it) with the bench echo and
    /// no-op-grain services mapped into it, one onboarded tenant whose licensed technician organizes every session, and
    /// commands: <c>schedule</c> more sessions (ids <c>{prefix}{i}</c>), run the in-process grain load (<c>grain-closed</c>,
    /// <c>grain-open</c>). With <paramref name="sessionStorageArms"/> the sessions whose id starts with
    /// <see cref="ArmRoutingSessionStore.WholeStatePrefix"/> store their whole state a step (<see cref="WholeStateSessionStore"/>),
    /// and <c>delta-tax</c> answers what that store counted.
    /// </summary>
    public static async Task<int> HostAsync(bool sessionStorageArms = false)
    {
        var tenantId = Guid.NewGuid().ToString("D");
        await using var stack = await LocalStack.StartAsync(
            emulator =>
            {
                RaiseWriteBudget(emulator);
                return TestEmulator.AddTenantAsync(emulator, tenantId);
            },
            app =>
            {
                app.MapGrpcService<BenchEchoService>();
                app.MapGrpcService<BenchNoOpGrainService>();
            },
            lastWord: sessionStorageArms ? ArmRoutingSessionStore.Register : null,
            overrides: new Dictionary<string, string?> { ["Graph:Budgets:TenantWritesPer150Seconds"] = (WriteBudgetFactor * 3_000).ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Console.Error.WriteLine($"host up; onboarding tenant {tenantId}");
        var tenant = await OnboardAsync(stack.Invoker, tenantId);
        var technician = await AddTechnicianAsync(stack.Emulator, tenantId);
        Console.Error.WriteLine($"onboarded {tenant}");
        var sessions = new SessionService.SessionServiceClient(stack.Invoker);
        var grains = stack.App.Services.GetRequiredService<IGrainFactory>();
        var scheduled = new Dictionary<string, int>();
        ChildProcess.Report("ready", new
        {
            port = stack.ApiAddress.Port,
            pid = Environment.ProcessId,
            azuritePid = stack.Azurite.ProcessId,
            processors = Environment.ProcessorCount,
            token = stack.Token,
            tenant,
        });

        await ChildProcess.ServeAsync(async command =>
        {
            var warmup = TimeSpan.FromSeconds((double?)command["warmup"] ?? 0);
            var window = TimeSpan.FromSeconds((double?)command["seconds"] ?? 0);
            switch ((string)command["cmd"]!)
            {
                case "stats":
                    return HostStats(stack);
                case "storage-floor":
                    return await StorageFloorAsync(stack, (int)command["batch"]!, (int)command["rows"]!, (int)command["bytes"]!, (int)command["callers"]!);
                case "schedule":
                    var clock = Stopwatch.StartNew();
                    var upTo = (int)command["total"]!;
                    var prefix = (string?)command["prefix"] ?? DefaultPrefix;
                    var from = scheduled.GetValueOrDefault(prefix);
                    await Parallel.ForAsync(from, upTo, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
                        await sessions.CreateSessionAsync(Schedule(tenant, technician, i, prefix), cancellationToken: ct));
                    scheduled[prefix] = Math.Max(from, upTo);
                    return new { total = scheduled[prefix], added = upTo - from, seconds = clock.Elapsed.TotalSeconds };
                case "delta-tax":
                    var (steps, fold, between) = stack.App.Services.GetRequiredService<WholeStateSessionStore>().DeltaTax;
                    return new { steps, foldMicros = fold, betweenMicros = between };
                case "grain-closed":
                    return await LoadGenerator.ClosedLoopAsync(w => grains.GetGrain<INoOpGrain>(w).PingAsync(), (int)command["concurrency"]!, warmup, window);
                case "grain-open":
                    var keys = (int)command["keys"]!;
                    return await LoadGenerator.OpenLoopAsync(s => grains.GetGrain<INoOpGrain>(s % keys).PingAsync(), (double)command["rate"]!, warmup, window);
                default:
                    throw new InvalidOperationException($"unknown command {command.ToJsonString()}");
            }
        });

        return 0;
    }

    /// <summary>The runtime's counters and what the session store's delta inserts have taken so far (its requests, rows and bytes).</summary>
    private static JsonObject HostStats(LocalStack stack)
    {
        var stats = JsonSerializer.SerializeToNode(ChildProcess.RuntimeStats(), ChildProcess.Json)!.AsObject();
        if (stack.App.Services.GetRequiredService<ISessionStore>() is TableSessionStore store)
        {
            var (requests, rows, bytes) = store.InsertStatistics;
            stats["storeRequests"] = requests;
            stats["storeRows"] = rows;
            stats["storeBytes"] = bytes;
        }

        return stats;
    }

    /// <summary>
    /// The floor of a session step's durable write, measured in this process against this host's Azurite (on its core):
    /// <paramref name="rows"/> new rows of <paramref name="bytes"/> data bytes, <paramref name="batch"/> a request (one
    /// partition each, an entity-group transaction when more than one; the partitions taken in turn from as many as the
    /// session store has), <paramref name="callers"/> requests in flight, through the same Tables client library.
    /// Answers the CPU a row of this process (the client library's side) and of Azurite. The host is otherwise idle
    /// while it runs.
    /// </summary>
    private static async Task<object> StorageFloorAsync(LocalStack stack, int batch, int rows, int bytes, int callers)
    {
        var table = stack.App.Services.GetRequiredService<TableServiceClient>().GetTableClient($"floor{Guid.NewGuid():N}");
        await table.CreateIfNotExistsAsync();
        var payload = new byte[bytes];
        Random.Shared.NextBytes(payload);
        await StorageBatchingBenchmark.InsertAsync(table, batch, Math.Min(rows, 2_000), payload, callers, TableSessionStore.Shards); // warm-up
        var azurite = stack.Azurite.ProcessId!.Value;
        var (azurite0, _, _) = CpuMeter.Split(azurite);
        var self0 = Environment.CpuUsage.TotalTime.TotalSeconds;
        var clock = Stopwatch.StartNew();
        await StorageBatchingBenchmark.InsertAsync(table, batch, rows, payload, callers, TableSessionStore.Shards);
        var seconds = clock.Elapsed.TotalSeconds;
        var self = Environment.CpuUsage.TotalTime.TotalSeconds - self0;
        var (azurite1, _, _) = CpuMeter.Split(azurite);
        await table.DeleteAsync();
        return new { rows, batch, bytes, rowsPerSecond = rows / seconds, hostMicrosPerRow = self / rows * 1e6, azuriteMicrosPerRow = (azurite1 - azurite0) / rows * 1e6 };
    }

    /// <summary>
    /// How many times Graph's published per-tenant write budget (3,000 per 150 s) the bench's tenant gets, in the emulator
    /// and in the host's rate governor alike. Scheduling is outside the measured path, but one organizer schedules
    /// sessions for thousands of round trips a minute, three Graph writes each: at the published budget the governor
    /// rightly holds scheduling for minutes, past Orleans' 30 s response timeout, and the run stalls between windows.
    /// </summary>
    private const int WriteBudgetFactor = 10;

    private static void RaiseWriteBudget(GraphEmulatorServer emulator)
    {
        var throttling = emulator.State.Throttler.Settings;
        throttling.WriteBudget *= WriteBudgetFactor;
        emulator.State.Throttler.Settings = throttling;
    }

    /// <summary>
    /// One round trip: a new anonymous guest asks to join from Teams desktop and lands in the lobby (the tenant
    /// admits only its organization at once), then the managing partner admits it and gets its join ticket.
    /// </summary>
    public static async Task JoinAndAdmitAsync(SessionService.SessionServiceClient sessions, string name, long guest, Metadata? headers = null)
    {
        var joined = await sessions.JoinSessionAsync(new JoinSessionRequest
        {
            Name = name,
            Person = new Person { AnonymousGuest = new Person.Types.AnonymousGuest { Email = $"guest{guest}@oem.example", DisplayName = $"Guest {guest}" } },
            Client = ClientKind.TeamsDesktop,
        }, headers);
        if (joined.Participant.State != Participant.Types.State.InLobby)
        {
            throw new InvalidOperationException($"joined {joined.Participant.State} ({joined.Participant.StateReason}), expected IN_LOBBY");
        }

        var admitted = await sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = name, ParticipantId = joined.Participant.Id }, headers);
        if (admitted.Participant.State != Participant.Types.State.Admitted || admitted.Ticket is null)
        {
            throw new InvalidOperationException($"admitted {admitted.Participant.State} without a ticket");
        }
    }

    /// <summary>
    /// The session of round trip <paramref name="slot"/>: sessions come in blocks of <paramref name="block"/>, and
    /// consecutive round trips go to different sessions of a block, so concurrent callers rarely queue on one grain.
    /// </summary>
    public static int SessionIndex(long slot, int block)
    {
        var perBlock = (long)ParticipantsPerSession * block;
        return (int)((slot / perBlock * block) + (slot % perBlock % block));
    }

    /// <summary>What the ids of bench sessions start with unless a benchmark names its own prefix.</summary>
    public const string DefaultPrefix = "b-";

    /// <summary>The name of the <paramref name="index"/>-th bench session of <paramref name="tenant"/>.</summary>
    public static string SessionName(string tenant, int index, string prefix = DefaultPrefix) => $"{tenant}/sessions/{prefix}{index}";

    public static CreateSessionRequest Schedule(string tenant, string organizerId, int index, string prefix = DefaultPrefix) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        Parent = tenant,
        SessionId = $"{prefix}{index}",
        Session = new Session
        {
            Organizer = new Person { TenantUser = new Person.Types.TenantUser { UserId = organizerId } },
            Subject = "Pump P-17 alignment",
            StartTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(5)),
            EndTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(3)),
        },
    };

    /// <summary>Onboards the tenant through the API (Teams settings confirmed: anonymous join on) and waits for it.</summary>
    public static async Task<string> OnboardAsync(CallInvoker invoker, string tenantId)
    {
        var tenants = new TenantService.TenantServiceClient(invoker);
        var operations = new OperationService.OperationServiceClient(invoker);
        var created = await tenants.CreateTenantAsync(new CreateTenantRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            TenantId = tenantId,
            Tenant = new Tenant
            {
                DisplayName = "Company ABC",
                MeetingSettings = new MeetingSettings
                {
                    AnonymousJoin = MeetingSettings.Types.Switch.On,
                    OrganizerAnonymousJoin = MeetingSettings.Types.Switch.On,
                    AutoAdmittedUsers = MeetingSettings.Types.AutoAdmittedUsers.EveryoneInCompany,
                    LobbyBypass = MeetingSettings.Types.LobbyBypass.Organizer,
                },
            },
        });
        using var watch = operations.WatchOperation(new WatchOperationRequest { Name = created.Operation.Name });
        Operation? last = null;
        await foreach (var update in watch.ResponseStream.ReadAllAsync())
        {
            last = update.Operation;
        }

        if (last?.State != Operation.Types.State.Succeeded)
        {
            throw new InvalidOperationException($"Onboarding ended {last?.State}: {last?.Error}");
        }

        return created.Tenant.Name;
    }

    /// <summary>A member with a Remote Assist licence, added to the emulator's directory: the sessions' organizer.</summary>
    public static Task<string> AddTechnicianAsync(GraphEmulatorServer emulator, string tenantId) => TestEmulator.AddLicensedMemberAsync(emulator, tenantId);
}
