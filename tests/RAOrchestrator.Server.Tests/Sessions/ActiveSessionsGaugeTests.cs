using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// raorchestrator.sessions.active is counted from what is stored, not kept in a silo's memory: a host started again
/// on the same storage reports the same count (an up-down counter restarted at zero did not).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ActiveSessionsGaugeTests(ServerFixture fixture)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_active_sessions_gauge_counts_the_stored_active_sessions_and_a_restarted_host_reports_the_same_count()
    {
        // Storage of its own: the count is this test's sessions only.
        await using var azurite = await AzuriteProcess.StartAsync(persistent: true);
        var serviceId = "active-" + Guid.NewGuid().ToString("N")[..8];
        var partner = TestIds.NewPartner();

        await using (var first = await ServerInstance.StartAsync(azurite, fixture.Emulator, fixture.Tokens, serviceId))
        {
            var world = new SessionWorld(fixture, partner, first);
            var tenant = await world.TenantAsync();
            await ActivateAsync(world, tenant, "one@oem.example");
            await world.Sessions.CreateSessionAsync(SessionWorld.Schedule(tenant, tenant.Technician)); // scheduled: not active

            await WaitForCountAsync(first, 1);
        }

        await using var second = await ServerInstance.StartAsync(azurite, fixture.Emulator, fixture.Tokens, serviceId);
        await WaitForCountAsync(second, 1);
    }

    /// <summary>A session that a guest joins and is admitted to: the first admission makes it Active.</summary>
    private static async Task ActivateAsync(SessionWorld world, OnboardedTenant tenant, string guest)
    {
        var sessions = world.Sessions;
        var created = (await sessions.CreateSessionAsync(SessionWorld.Schedule(tenant, tenant.Technician))).Session;
        var joined = await sessions.JoinSessionAsync(new JoinSessionRequest { Name = created.Name, Person = SessionWorld.Guest(guest), Client = ClientKind.TeamsDesktop });
        await sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = created.Name, ParticipantId = joined.Participant.Id });
        var session = (await sessions.GetSessionAsync(new GetSessionRequest { Name = created.Name })).Session;
        Assert.Equal(Session.Types.State.Active, session.State);
    }

    private static async Task WaitForCountAsync(ServerInstance server, long expected)
    {
        var deadline = Stopwatch.StartNew();
        long? seen;
        while ((seen = Observe(server)) != expected)
        {
            Assert.True(deadline.Elapsed < Limit, $"raorchestrator.sessions.active read {seen?.ToString() ?? "nothing"}, not {expected}");
            await Task.Delay(250);
        }
    }

    /// <summary>The gauge of this host only: its meter is made by this host's meter factory.</summary>
    private static long? Observe(ServerInstance server)
    {
        var factory = server.Services.GetRequiredService<IMeterFactory>();
        long? value = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "raorchestrator.sessions.active" && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, measurement, _, _) => value = measurement);
        listener.Start();
        listener.RecordObservableInstruments();
        return value;
    }
}
