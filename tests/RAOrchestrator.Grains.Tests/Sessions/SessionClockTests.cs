using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Sessions;

using static RAOrchestrator.Grains.Tests.Infrastructure.GrainSessions;

namespace RAOrchestrator.Grains.Tests.Sessions;

/// <summary>
/// A session applies its clock (lobby waits ending with LOBBY_TIMEOUT, the schedule elapsing) by a grain timer while it is
/// active and on its next activation after a crash, and judges join tickets by it: driven here by moving the grains'
/// clock, never by waiting for it.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class SessionClockTests(GrainCluster cluster)
{
    private static readonly TimeSpan MaxLobbyWait = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_guest_waiting_in_the_lobby_times_out_when_the_clock_passes_the_lobby_maximum_wait()
    {
        var (session, partner, _) = await ScheduleAsync();
        var waiting = await session.JoinAsync(partner, Guest, ClientKind.TeamsDesktop, null);
        var joined = await LastSequenceAsync(session, partner);

        cluster.Clock.Advance(MaxLobbyWait - TimeSpan.FromSeconds(1));
        Assert.Equal(ParticipantStatus.InLobby, await StatusAsync(session, partner, waiting.Participant.Id));
        cluster.Clock.Advance(TimeSpan.FromSeconds(1));

        var timedOut = await NextEventAsync(session, partner, joined);
        Assert.Equal((SessionEventKind.TimedOut, waiting.Participant.Id, SessionReasons.LobbyTimeout), (timedOut.Kind, timedOut.Subject, timedOut.Reason));
        var participant = (await session.TryGetAsync(partner))!.Participants.Single(p => p.Id == waiting.Participant.Id);
        Assert.Equal((ParticipantStatus.TimedOut, SessionReasons.LobbyTimeout), (participant.Status, participant.StatusReason));
        var late = await Assert.ThrowsAsync<OrchestratorException>(() => session.AdmitAsync(partner, null, waiting.Participant.Id));
        Assert.Equal(SessionReasons.ParticipantNotInLobby, late.Reason);
    }

    [Fact]
    public async Task A_lobby_wait_that_expires_while_the_session_is_not_active_ends_with_its_reason_on_its_next_activation()
    {
        var (session, partner, _) = await ScheduleAsync();
        var waiting = await session.JoinAsync(partner, Guest, ClientKind.TeamsDesktop, null);
        var joined = await LastSequenceAsync(session, partner);

        // As after a crash: no activation holds the session (nor its timer) while its deadline passes.
        await cluster.DeactivateAsync(session.GetGrainId());
        cluster.Clock.Advance(MaxLobbyWait + TimeSpan.FromMinutes(1));

        var page = (await session.WatchAsync(partner, joined, 10, TimeSpan.Zero))!.Page;
        var timedOut = Assert.Single(page.Events);
        Assert.Equal((SessionEventKind.TimedOut, waiting.Participant.Id, SessionReasons.LobbyTimeout, joined + 1), (timedOut.Kind, timedOut.Subject, timedOut.Reason, timedOut.Sequence));
        Assert.Equal(ParticipantStatus.TimedOut, await StatusAsync(session, partner, waiting.Participant.Id));
        Assert.Single(cluster.Emulator.State.Tenants[TenantOf(session)].Outbox);
    }

    [Fact]
    public async Task A_session_whose_schedule_has_elapsed_ends_when_the_clock_passes_its_end_and_overrun()
    {
        var (session, partner, _) = await ScheduleAsync();
        var scheduled = (await session.TryGetAsync(partner))!;

        cluster.Clock.Advance(scheduled.End + SessionLimits.Default.Overrun - cluster.Clock.GetUtcNow());

        var ended = await NextEventAsync(session, partner, scheduled.LastSequence);
        Assert.Equal((SessionEventKind.Ended, SessionReasons.ScheduleElapsed), (ended.Kind, ended.Reason));
        var closed = (await session.TryGetAsync(partner))!;
        Assert.Equal((SessionStatus.Ended, SessionReasons.ScheduleElapsed), (closed.Status, closed.CloseReason));
    }

    [Fact]
    public async Task A_join_ticket_redeemed_after_its_lifetime_is_refused_and_a_fresh_one_redeems()
    {
        var (session, partner, organizer) = await ScheduleAsync();
        var organizerRef = User(organizer);
        var first = (await session.JoinAsync(partner, organizerRef, ClientKind.TeamsDesktop, null)).Ticket!;
        cluster.Clock.Advance(SessionLimits.Default.TicketLifetime);

        var expired = await Assert.ThrowsAsync<OrchestratorException>(() => session.RedeemAsync(partner, first.Token));
        Assert.Equal(SessionReasons.TicketExpired, expired.Reason);
        var fresh = (await session.JoinAsync(partner, organizerRef, ClientKind.TeamsDesktop, null)).Ticket!;
        Assert.Equal(first.ParticipantId, (await session.RedeemAsync(partner, fresh.Token)).ParticipantId);
    }

    /// <summary>A session of a freshly onboarded tenant (its own partner), starting in five minutes, lobby waits of <see cref="MaxLobbyWait"/>.</summary>
    private async Task<(ISessionGrain Session, string Partner, string Organizer)> ScheduleAsync()
    {
        var partner = "partner-clock-" + Guid.NewGuid().ToString("N")[..8];
        var tenantId = await GrainTenants.OnboardAsync(cluster, partner);
        var organizer = await TestEmulator.AddLicensedMemberAsync(cluster.Emulator, tenantId);
        var session = cluster.Grains.GetGrain<ISessionGrain>($"{ResourceName.Tenant(tenantId)}/sessions/s-{Guid.NewGuid():N}");
        var now = cluster.Clock.GetUtcNow();
        await session.CreateAsync(Guid.NewGuid().ToString("N"), partner, new SessionSpec(
            User(organizer), "Pump P-17 alignment", now.AddMinutes(5), now.AddHours(1),
            [Guest], [], new LobbySettings(LobbyScope.Organization, false, false, MaxLobbyWait)));
        return (session, partner, organizer);
    }

    private static string TenantOf(ISessionGrain session) => session.GetPrimaryKeyString().Split('/')[1];

    private static async Task<long> LastSequenceAsync(ISessionGrain session, string partner) => (await session.TryGetAsync(partner))!.LastSequence;

    private static async Task<ParticipantStatus> StatusAsync(ISessionGrain session, string partner, string participantId) =>
        (await session.TryGetAsync(partner))!.Participants.Single(p => p.Id == participantId).Status;
}
