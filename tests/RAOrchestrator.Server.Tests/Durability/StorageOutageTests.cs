using System.Diagnostics;
using System.Net;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// Azure Storage goes away under a running host and comes back on the same data and port, as a real outage does.
/// The host has its own Azurite (on disk) so the rest of the suite keeps its storage.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class StorageOutageTests(ServerFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task During_a_storage_outage_writes_are_refused_whole_reads_of_active_grains_answer_and_the_host_recovers_by_itself()
    {
        await using var azurite = await AzuriteProcess.StartAsync(persistent: true);
        // The outage makes Orleans and the health checks log failures by design: keep them out of the test output.
        // No grace: readiness follows storage at once (StorageBlipTests covers the grace window).
        var quiet = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "None", ["Health:StorageGrace"] = "00:00:00" };
        await using var server = await ServerInstance.StartAsync(azurite, fixture.Emulator, fixture.Tokens, "outage-" + Guid.NewGuid().ToString("N")[..8], quiet);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.ManagementPort}") };
        var partner = TestIds.NewPartner();
        var writer = server.Tenants(fixture.Tokens.Writer(partner));
        var operations = server.Operations(fixture.Tokens.Reader(partner));

        // Two active tenants: one is only read during the outage, the other is written to.
        var readOnly = await OnboardAsync(writer, operations);
        var written = await OnboardAsync(writer, operations);
        var acknowledged = await RenameAsync(writer, written, "Before the outage", TestIds.NewRequestId());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

        await azurite.StopAsync();
        var outage = Stopwatch.StartNew();

        await WaitUntilAsync(async () => (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable, "readiness never failed");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);

        // A tenant whose grain is active answers from memory.
        var read = (await writer.GetTenantAsync(new GetTenantRequest { Name = readOnly.Name })).Tenant;
        Assert.Equal(readOnly.DisplayName, read.DisplayName);

        // Mutations answer UNAVAILABLE: an update, and an onboarding of a new tenant.
        var refusedRequestId = TestIds.NewRequestId();
        var refused = await RpcAssert.Fails(StatusCode.Unavailable, () => RenameAsync(writer, acknowledged, "During the outage", refusedRequestId));
        Assert.Equal("STORAGE_UNAVAILABLE", refused.Reason());
        var newTenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var createDuring = ReadyTenants.Create(newTenantId);
        await RpcAssert.Fails(StatusCode.Unavailable, async () => await writer.CreateTenantAsync(createDuring));
        output.WriteLine($"refusals answered within {outage.Elapsed.TotalSeconds:F1} s of the outage");

        await azurite.RestartAsync();
        var back = Stopwatch.StartNew();
        await WaitUntilAsync(async () => (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "readiness never recovered");
        output.WriteLine($"ready again {back.Elapsed.TotalSeconds:F1} s after storage returned");

        // Nothing acknowledged was lost, nothing refused was half applied.
        var after = (await writer.GetTenantAsync(new GetTenantRequest { Name = written.Name })).Tenant;
        Assert.Equal("Before the outage", after.DisplayName);
        Assert.Equal(acknowledged.Etag, after.Etag);

        // The first writes after the outage succeed: the refused update retried with its request id, and the
        // refused onboarding retried as it was.
        var retried = await RenameAsync(writer, after, "During the outage", refusedRequestId);
        Assert.Equal("During the outage", retried.DisplayName);
        var created = await writer.CreateTenantAsync(createDuring);
        var finished = await operations.WatchToEndAsync(created.Operation.Name);
        Assert.Equal(Operation.Types.State.Succeeded, finished[^1].State);

        var all = (await writer.ListTenantsAsync(new ListTenantsRequest())).Tenants.Select(t => t.Name).Order().ToArray();
        Assert.Equal(new[] { readOnly.Name, written.Name, created.Tenant.Name }.Order().ToArray(), all);
        Assert.True(back.Elapsed < RecoveryLimit * 2, $"recovery took {back.Elapsed}");
    }

    [Fact]
    public async Task During_a_storage_outage_session_steps_are_refused_whole_and_the_session_carries_on_after_it()
    {
        await using var azurite = await AzuriteProcess.StartAsync(persistent: true);
        var quiet = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "None" };
        await using var server = await ServerInstance.StartAsync(azurite, fixture.Emulator, fixture.Tokens, "outage-" + Guid.NewGuid().ToString("N")[..8], quiet);
        var world = new SessionWorld(fixture, TestIds.NewPartner(), server);
        var sessions = world.Sessions;
        var tenant = await world.TenantAsync();
        var created = (await sessions.CreateSessionAsync(SessionWorld.Schedule(tenant, tenant.Technician))).Session;
        var waiting = await sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = SessionWorld.Guest("first@oem.example"), Client = ClientKind.TeamsDesktop });
        Assert.Equal(Participant.Types.State.InLobby, waiting.Participant.State);

        await azurite.StopAsync();

        // The step's delta row cannot be inserted: UNAVAILABLE, and the grain drops its activation; the next call's
        // activation cannot read the session either: UNAVAILABLE too.
        var refused = await RpcAssert.Fails(StatusCode.Unavailable, async () => await sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = created.Name, ParticipantId = waiting.Participant.Id }));
        Assert.Equal("STORAGE_UNAVAILABLE", refused.Reason());
        await RpcAssert.Fails(StatusCode.Unavailable, async () => await sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = SessionWorld.Guest("second@oem.example"), Client = ClientKind.TeamsDesktop }));

        await azurite.RestartAsync();

        // Nothing refused was applied; the session carries on from what was acknowledged.
        var session = (await RetryWhileUnavailableAsync(() => sessions.GetSessionAsync(new GetSessionRequest { Name = created.Name }).ResponseAsync)).Session;
        Assert.Equal([Participant.Types.State.InLobby], session.Participants.Select(p => p.State).ToArray());
        var admitted = await sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = created.Name, ParticipantId = waiting.Participant.Id });
        Assert.Equal(Participant.Types.State.Admitted, admitted.Participant.State);
        var after = (await sessions.GetSessionAsync(new GetSessionRequest { Name = created.Name })).Session;
        Assert.Equal(Participant.Types.State.Admitted, Assert.Single(after.Participants).State);
        Assert.Equal(session.LastSequence + 3, after.LastSequence); // started, admitted, ticket issued: nothing of the refused steps
    }

    /// <summary>
    /// A session step whose write fails in an outage is not published: a watcher that (re)connects while the write is
    /// still being retried sees only what storage confirmed, so the step retried after the outage (with a new time)
    /// is the only version of that event anyone sees. (A watcher used to read the grain's unconfirmed state there.)
    /// The failed write drops the activation while the watcher's long poll is waiting in it: the poll ends at once, so
    /// the session answers as soon as storage is back. (The dropped activation used to hold every call until the poll
    /// ran out, up to 20 s.)
    /// </summary>
    [Fact]
    public async Task A_watcher_connecting_while_a_session_write_fails_in_an_outage_never_sees_the_unconfirmed_event()
    {
        await using var azurite = await AzuriteProcess.StartAsync(persistent: true);
        var quiet = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "None" };
        await using var server = await ServerInstance.StartAsync(azurite, fixture.Emulator, fixture.Tokens, "outage-" + Guid.NewGuid().ToString("N")[..8], quiet);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.ManagementPort}") };
        var partner = TestIds.NewPartner();
        var tenant = await OnboardAsync(server.Tenants(fixture.Tokens.Writer(partner)), server.Operations(fixture.Tokens.Reader(partner)));
        var tenantId = tenant.Name["tenants/".Length..];
        var onboarded = new OnboardedTenant(tenant.Name, tenantId, $"t{tenantId[..8]}.example") { Technician = await TestEmulator.AddLicensedMemberAsync(fixture.Emulator, tenantId) };
        var sessions = new SessionService.SessionServiceClient(server.Invoker(fixture.Tokens.Writer(partner)));
        var name = (await sessions.CreateSessionAsync(SessionWorld.Schedule(onboarded, onboarded.Technician))).Session.Name;
        JoinSessionRequest Join(string guest) => new() { Name = name, Person = SessionWorld.Guest($"{guest}@oem.example"), Client = ClientKind.TeamsDesktop };
        await sessions.JoinSessionAsync(Join("a"));

        await azurite.StopAsync();
        var refused = RpcAssert.Fails(StatusCode.Unavailable, async () => await sessions.JoinSessionAsync(Join("b")));
        await Task.Delay(300);
        var seen = new List<SessionEvent>();
        using (var stop = new CancellationTokenSource())
        {
            var watching = Task.Run(async () =>
            {
                try
                {
                    using var call = sessions.WatchSession(new WatchSessionRequest { Name = name }, cancellationToken: stop.Token);
                    await foreach (var response in call.ResponseStream.ReadAllAsync(stop.Token))
                    {
                        seen.Add(response.Event);
                    }
                }
                catch (RpcException)
                {
                    // Cancelled below, or the activation dropped after its failed write.
                }
                catch (OperationCanceledException)
                {
                }
            });
            await refused;
            await Task.Delay(500);
            await stop.CancelAsync();
            await watching;
        }

        Assert.Equal([1L, 2L], seen.Select(e => e.Sequence));

        await azurite.RestartAsync();
        await WaitUntilAsync(async () => (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "readiness never recovered");
        var firstCall = Stopwatch.StartNew();
        await sessions.JoinSessionAsync(Join("b"));
        Assert.True(firstCall.Elapsed < TimeSpan.FromSeconds(8), $"the session's first call after the outage took {firstCall.Elapsed.TotalSeconds:F1} s");
        var timeline = (await sessions.GetSessionAsync(new GetSessionRequest { Name = name, View = SessionView.Full })).Session.Events;
        Assert.Equal(3, timeline.Count);
        Assert.Equal(seen, timeline.Take(2));
    }

    private static async Task<T> RetryWhileUnavailableAsync<T>(Func<Task<T>> call)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable && deadline.Elapsed < RecoveryLimit)
            {
                await Task.Delay(200);
            }
        }
    }

    private async Task<Tenant> OnboardAsync(TenantService.TenantServiceClient tenants, OperationService.OperationServiceClient operations)
    {
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var created = await tenants.CreateTenantAsync(ReadyTenants.Create(tenantId));
        await operations.WatchToEndAsync(created.Operation.Name);
        return (await tenants.GetTenantAsync(new GetTenantRequest { Name = created.Tenant.Name })).Tenant;
    }

    private static async Task<Tenant> RenameAsync(TenantService.TenantServiceClient tenants, Tenant tenant, string displayName, string requestId)
    {
        var response = await tenants.UpdateTenantAsync(new UpdateTenantRequest
        {
            RequestId = requestId,
            Tenant = new Tenant { Name = tenant.Name, DisplayName = displayName },
            UpdateMask = new FieldMask { Paths = { "display_name" } },
        });
        return response.Tenant;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < RecoveryLimit, failure);
            await Task.Delay(200);
        }
    }
}
