using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Grains;
using RAOrchestrator.Grains.Sessions;
using RAOrchestrator.Grains.Sessions.Storage;
using RAOrchestrator.Server.Tests.Infrastructure;
using RAOrchestrator.Testing;
using static RAOrchestrator.Server.Tests.Infrastructure.SessionWorld;

namespace RAOrchestrator.Server.Tests;

/// <summary>A session stored by a build before the delta table (as the grain state "session") is read, moved and carried on.</summary>
[Collection(ServerCollection.Name)]
public sealed class LegacySessionStateTests(ServerFixture fixture)
{
    [Fact]
    public async Task A_session_in_the_old_grain_state_is_served_moved_to_the_session_table_and_carries_on()
    {
        var world = new SessionWorld(fixture, TestIds.NewPartner());
        var tenant = await world.TenantAsync();
        var sessions = world.Sessions;
        var current = (await sessions.CreateSessionAsync(Schedule(tenant, tenant.Technician, Guest("old@oem.example")))).Session;
        var waiting = await sessions.JoinSessionAsync(new JoinSessionRequest { Name = current.Name, Person = Guest("old@oem.example"), Client = ClientKind.TeamsDesktop });

        // The same session as an earlier build stored it, under a name the new table has never seen.
        var services = fixture.Server.Services;
        var store = services.GetRequiredService<ISessionStore>();
        var read = new SessionLog(store, current.Name, NullLogger.Instance);
        await read.ReadAsync();
        var name = $"{tenant.Name}/sessions/legacy-{Guid.NewGuid():N}";
        var legacy = new SessionGrainState { PartnerId = read.State.PartnerId, RequestId = "earlier-build", Session = read.State.Session! with { Name = name } };
        var storage = services.GetRequiredKeyedService<IGrainStorage>(StorageNames.State);
        var grain = GrainId.Create("session", name);
        await storage.WriteStateAsync(LegacySessionState.StateName, grain, new GrainState<SessionGrainState>(legacy));

        var served = (await sessions.GetSessionAsync(new GetSessionRequest { Name = name })).Session;
        Assert.Equal([waiting.Participant.Id], served.Participants.Select(p => p.Id));
        Assert.Equal(Participant.Types.State.InLobby, Assert.Single(served.Participants).State);

        // Moved: the table holds it as its first snapshot, the old record is gone.
        var moved = await store.ReadAsync(name);
        Assert.Equal(1, moved.SnapshotVersion);
        Assert.Equal("earlier-build", moved.Snapshot!.RequestId);
        var old = new GrainState<SessionGrainState>(new SessionGrainState());
        await storage.ReadStateAsync(LegacySessionState.StateName, grain, old);
        Assert.False(old.RecordExists);

        // And it carries on: an admission is stored as the next delta.
        var admitted = await sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = name, ParticipantId = waiting.Participant.Id });
        Assert.Equal(Participant.Types.State.Admitted, admitted.Participant.State);
        Assert.Equal(2, (await store.ReadAsync(name)).Deltas[0].Version);
    }
}
