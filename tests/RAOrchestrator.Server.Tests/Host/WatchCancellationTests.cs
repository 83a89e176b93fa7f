using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// A watch whose caller goes away ends on the server at once, not when the grain's long poll (20 s) returns; a host that
/// stops ends the watches still open with UNAVAILABLE at once, so their watchers resume on another host, and its stop
/// waits for neither.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WatchCancellationTests(ServerFixture fixture)
{
    [Fact]
    public async Task Watches_their_callers_cancel_end_at_once_and_a_stopping_host_ends_the_others_unavailable_without_waiting_for_their_polls()
    {
        var host = await ServerInstance.StartAsync(fixture.Azurite, fixture.Emulator, fixture.Tokens, "watches-" + Guid.NewGuid().ToString("N")[..8]);
        var stopped = false;
        try
        {
            var world = new SessionWorld(fixture, TestIds.NewPartner(), host);
            var tenant = await world.TenantAsync();
            var request = SessionWorld.Schedule(tenant, tenant.Technician, SessionWorld.Guest("erin@oem.example"));
            await world.Sessions.CreateSessionAsync(request);
            // Another partner's claim nobody approves: its operation stays running, so its watch waits in the grain's poll.
            var claimant = TestIds.NewPartner();
            var claim = await new TenantService.TenantServiceClient(host.Unapproved(fixture.Tokens.Writer(claimant)))
                .CreateTenantAsync(ReadyTenants.Create(await ReadyTenants.AddAsync(fixture.Emulator)));

            var operations = new OperationService.OperationServiceClient(host.Unapproved(fixture.Tokens.Reader(claimant)));
            using (var session = world.Sessions.WatchSession(new WatchSessionRequest { Name = $"{tenant.Name}/sessions/{request.SessionId}" }))
            using (var cancelled = operations.WatchOperation(new WatchOperationRequest { Name = claim.Operation.Name }))
            {
                Assert.True(await session.ResponseStream.MoveNext());
                Assert.True(await cancelled.ResponseStream.MoveNext());
                // Past their first updates, both handlers now wait in their polls; leaving the block cancels both calls.
                await Task.Delay(500);
            }

            // A watcher still reading when the host stops is told to resume elsewhere, at once (on a channel of its
            // own: the host's test channel goes with the host).
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{host.ApiPort}");
            using var open = new OperationService.OperationServiceClient(channel).WatchOperation(
                new WatchOperationRequest { Name = claim.Operation.Name },
                new Metadata { { "authorization", "Bearer " + fixture.Tokens.Reader(claimant) } });
            Assert.True(await open.ResponseStream.MoveNext());
            var clock = Stopwatch.StartNew();
            var stopping = host.DisposeAsync().AsTask();
            stopped = true;
            var ended = await RpcAssert.Fails(StatusCode.Unavailable, async () => await open.ResponseStream.MoveNext());
            Assert.Equal("CLUSTER_UNAVAILABLE", ended.Reason());
            await stopping;

            // Waiting for the polls would take them to their 20 s end; a stop takes a few seconds otherwise (15 s: room for a busy machine).
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the host took {clock.Elapsed.TotalSeconds:0.0} s to stop");
        }
        finally
        {
            if (!stopped)
            {
                await host.DisposeAsync();
            }
        }
    }
}
