using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using static RAOrchestrator.Server.Tests.Infrastructure.SessionWorld;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// Sessions across a killed host (a separate server process, SIGKILLed). A lobby wait that expires while no activation
/// holds the session is proved on the grains' clock (Grains.Tests SessionClockTests), without a host restart or a real wait.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SessionRestartTests(ServerFixture fixture)
{
    [Fact]
    public async Task A_host_killed_while_the_meeting_is_made_schedules_the_session_once_after_the_restart()
    {
        var serviceId = "session-sched-" + Guid.NewGuid().ToString("N")[..8];
        var (api, management, silo, gateway) = (FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next());
        var settings = ServerInstance.Settings(fixture.Azurite, fixture.Emulator, fixture.Tokens, serviceId, api, management, silo, gateway);
        var world = new SessionWorld(fixture, TestIds.NewPartner());
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var tenant = new OnboardedTenant("tenants/" + tenantId, tenantId, $"t{tenantId[..8]}.example");
        var technician = await world.AddUserAsync(tenant, "tech", "Hanna Technician", licensed: true);
        var request = Schedule(tenant, technician, Guest("erin.expert@oem.example"));
        var name = $"{tenant.Name}/sessions/{request.SessionId}";

        await using (var first = await ServerProcess.StartAsync(settings, api, fixture.Emulator))
        {
            var created = await first.Tenants(fixture.Tokens.Writer(world.Partner)).CreateTenantAsync(ReadyTenants.Create(tenantId));
            await first.Operations(fixture.Tokens.Reader(world.Partner)).WatchToEndAsync(created.Operation.Name);

            fixture.Emulator.State.Faults.Settings = new GraphEmulator.FaultSettings { LatencyMs = 1500 };
            try
            {
                var call = first.Sessions(fixture.Tokens.Writer(world.Partner)).CreateSessionAsync(request);
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (!fixture.Emulator.State.Counters.ForTenant(tenantId).Endpoints.Any(e => e.Key.Contains("onlineMeetings", StringComparison.Ordinal)))
                {
                    Assert.True(DateTime.UtcNow < deadline, "scheduling never reached the meeting");
                    await Task.Delay(20);
                }

                await first.KillAsync();
                await Assert.ThrowsAnyAsync<RpcException>(async () => await call);
            }
            finally
            {
                fixture.Emulator.State.Faults.Settings = new GraphEmulator.FaultSettings();
            }
        }

        await using var second = await ServerProcess.StartAsync(settings, api, fixture.Emulator);
        var sessions = second.Sessions(fixture.Tokens.Writer(world.Partner));

        // The caller retries with the same request id: it gets the session the interrupted call was making.
        var session = (await sessions.CreateSessionAsync(request)).Session;

        Assert.Equal(name, session.Name);
        var emulated = fixture.Emulator.State.Tenants[tenantId];
        Assert.Single(emulated.OnlineMeetings, m => (string?)m.Body["externalId"] == name);
        Assert.Single(emulated.Outbox);
        Assert.Single((await sessions.ListSessionsAsync(new ListSessionsRequest { Parent = tenant.Name })).Sessions);
    }
}
