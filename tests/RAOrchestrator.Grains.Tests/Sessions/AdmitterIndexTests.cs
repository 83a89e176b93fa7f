using RAOrchestrator.Abstractions.Indexes;
using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Sessions;

using static RAOrchestrator.Grains.Tests.Infrastructure.GrainSessions;

namespace RAOrchestrator.Grains.Tests.Sessions;

/// <summary>
/// What the lobby console reads: each organizer's and delegated admitter's index of open sessions, kept by the sessions
/// themselves, and each session's answer, per lobby wait, to "would admitting them now be refused?".
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class AdmitterIndexTests(GrainCluster cluster)
{
    [Fact]
    public async Task An_admitters_index_lists_its_open_sessions_and_loses_each_as_it_ends_is_cancelled_elapses_or_is_offboarded()
    {
        var (partner, tenantId, organizer) = await TenantAsync();
        var admitter = await TestEmulator.AddUserAsync(cluster.Emulator, tenantId, "dana-delegate", "Dana Delegate", licensed: false);
        var ended = await ScheduleAsync(tenantId, partner, organizer, admitter);
        var cancelled = await ScheduleAsync(tenantId, partner, organizer, admitter);
        var elapsed = await ScheduleAsync(tenantId, partner, organizer);
        var offboarded = await ScheduleAsync(tenantId, partner, organizer, admitter);

        _ = await ended.JoinAsync(partner, User(organizer), ClientKind.RemoteAssistHoloLens, null);
        Assert.Equal(SessionStatus.Active, (await ended.TryGetAsync(partner))!.Status); // started: still listed

        Assert.Equal(Ids(ended, cancelled, elapsed, offboarded), await IndexAsync(tenantId, organizer));
        Assert.Equal(Ids(ended, cancelled, offboarded), await IndexAsync(tenantId, admitter));
        Assert.Empty(await IndexAsync(tenantId, Guid.NewGuid().ToString())); // a member who admits for nothing

        await ended.EndAsync(partner, null);
        await cancelled.CancelAsync(partner, User(admitter));
        await offboarded.CloseForOffboardingAsync();
        Assert.Equal(Ids(elapsed), await IndexAsync(tenantId, organizer));
        Assert.Empty(await IndexAsync(tenantId, admitter));

        // The schedule elapsing closes it on the session's clock, with nobody calling it.
        var view = (await elapsed.TryGetAsync(partner))!;
        cluster.Clock.Advance(view.End + SessionLimits.Default.Overrun - cluster.Clock.GetUtcNow());
        Assert.Equal(SessionEventKind.Ended, (await NextEventAsync(elapsed, partner, view.LastSequence)).Kind);
        Assert.Empty(await IndexAsync(tenantId, organizer));
    }

    [Fact]
    public async Task The_admission_preview_names_the_refusal_admit_answers_and_changes_nothing()
    {
        var (partner, tenantId, organizer) = await TenantAsync();
        var member = await TestEmulator.AddUserAsync(cluster.Emulator, tenantId, "casey-colleague", "Casey Colleague", licensed: false);
        var session = await ScheduleAsync(tenantId, partner, organizer);
        var waiting = (await session.JoinAsync(partner, Guest, ClientKind.TeamsDesktop, null)).Participant;
        var before = (await session.TryGetAsync(partner))!.Version;
        var outsider = User(member);

        var byOrganizer = Assert.Single(await session.PreviewAdmissionsAsync(partner, User(organizer)));
        var byOutsider = Assert.Single(await session.PreviewAdmissionsAsync(partner, outsider));

        Assert.Equal((waiting.Id, true), (byOrganizer.ParticipantId, byOrganizer.Admissible));
        Assert.Equal(SessionReasons.NotOrganizerSide, byOutsider.Refusal?.Reason);
        var refused = await Assert.ThrowsAsync<OrchestratorException>(() => session.AdmitAsync(partner, outsider, waiting.Id));
        Assert.Equal((byOutsider.Refusal!.Reason, byOutsider.Refusal.Message), (refused.Reason, refused.Message));
        Assert.Equal(before, (await session.TryGetAsync(partner))!.Version);
        var other = await Assert.ThrowsAsync<OrchestratorException>(() => session.PreviewAdmissionsAsync("another-partner", null));
        Assert.Equal(ErrorKind.NotFound, other.Kind);

        await session.AdmitAsync(partner, null, waiting.Id);
        Assert.Empty(await session.PreviewAdmissionsAsync(partner, null)); // nobody waits any more
    }

    private async Task<(string Partner, string TenantId, string Organizer)> TenantAsync()
    {
        var partner = "partner-admitters-" + Guid.NewGuid().ToString("N")[..8];
        var tenantId = await GrainTenants.OnboardAsync(cluster, partner);
        return (partner, tenantId, await TestEmulator.AddLicensedMemberAsync(cluster.Emulator, tenantId));
    }

    private async Task<ISessionGrain> ScheduleAsync(string tenantId, string partner, string organizer, params string[] admitters)
    {
        var session = cluster.Grains.GetGrain<ISessionGrain>($"{ResourceName.Tenant(tenantId)}/sessions/s-{Guid.NewGuid():N}");
        var now = cluster.Clock.GetUtcNow();
        await session.CreateAsync(Guid.NewGuid().ToString("N"), partner, new SessionSpec(
            User(organizer), "Pump P-17 alignment", now.AddMinutes(5), now.AddHours(1),
            [Guest], [.. admitters.Select(a => User(a))], null));
        return session;
    }

    private async Task<IReadOnlyList<string>> IndexAsync(string tenantId, string userId) =>
        (await cluster.Grains.GetGrain<IKeyIndexGrain>(ResourceName.AdmitterSessionIndex(tenantId, userId)).ListAsync(null, 100)).Keys;

    private static IReadOnlyList<string> Ids(params ISessionGrain[] sessions) =>
        [.. sessions.Select(s => s.GetPrimaryKeyString()[(s.GetPrimaryKeyString().LastIndexOf('/') + 1)..]).Order(StringComparer.Ordinal)];
}
