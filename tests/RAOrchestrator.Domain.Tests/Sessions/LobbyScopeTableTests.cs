using RAOrchestrator.Domain.Sessions;
using static RAOrchestrator.Domain.Tests.Sessions.SessionFixture;

namespace RAOrchestrator.Domain.Tests.Sessions;

/// <summary>The six Teams scopes × the kinds of people, as pure rule and through a real join.</summary>
public sealed class LobbyScopeTableTests
{
    // Columns: member, invited member, guest, invited guest, federated, invited federated, anonymous, invited anonymous (unverified).
    private static readonly Dictionary<LobbyScope, bool[]> Table = new()
    {
        [LobbyScope.Organizer] = [false, false, false, false, false, false, false, false],
        [LobbyScope.OrganizationExcludingGuests] = [true, true, false, false, false, false, false, false],
        [LobbyScope.Organization] = [true, true, true, true, false, false, false, false],
        [LobbyScope.OrganizationAndFederated] = [true, true, true, true, true, true, false, false],
        [LobbyScope.Invited] = [false, true, false, true, false, true, false, false],
        [LobbyScope.Everyone] = [true, true, true, true, true, true, true, true],
    };

    private static readonly (PrincipalKind Kind, bool Invited)[] Columns =
    [
        (PrincipalKind.TenantMember, false), (PrincipalKind.TenantMember, true),
        (PrincipalKind.TenantGuest, false), (PrincipalKind.TenantGuest, true),
        (PrincipalKind.Federated, false), (PrincipalKind.Federated, true),
        (PrincipalKind.Anonymous, false), (PrincipalKind.Anonymous, true),
    ];

    public static TheoryData<LobbyScope, PrincipalKind, bool, bool> Cases()
    {
        var data = new TheoryData<LobbyScope, PrincipalKind, bool, bool>();
        foreach (var (scope, row) in Table)
        {
            for (var i = 0; i < Columns.Length; i++)
            {
                data.Add(scope, Columns[i].Kind, Columns[i].Invited, row[i]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Scope_decides_who_bypasses(LobbyScope scope, PrincipalKind kind, bool invited, bool bypass)
    {
        var verdict = LobbyPolicy.Decide(Lobby(scope), new LobbySubject(kind, false, false, invited, false));
        Assert.Equal(bypass, verdict.Bypass);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Join_follows_the_scope_table(LobbyScope scope, PrincipalKind kind, bool invited, bool bypass)
    {
        var who = kind switch
        {
            PrincipalKind.TenantMember => Colleague,
            PrincipalKind.TenantGuest => AbcGuest,
            PrincipalKind.Federated => FabrikamUser,
            _ => Expert,
        };
        var s = Scheduled(invitees: invited ? [who] : [], lobby: Lobby(scope));
        var d = s.JoinAt(who).GetValueOrThrow();
        Assert.Equal(bypass ? ParticipantStatus.Admitted : ParticipantStatus.InLobby, d.Participant.Status);
        Assert.Equal(bypass, d.Ticket is not null);
    }

    [Theory]
    [InlineData(LobbyScope.Organizer)]
    [InlineData(LobbyScope.OrganizationExcludingGuests)]
    [InlineData(LobbyScope.Organization)]
    [InlineData(LobbyScope.OrganizationAndFederated)]
    [InlineData(LobbyScope.Invited)]
    [InlineData(LobbyScope.Everyone)]
    public void Organizer_and_delegated_admitters_bypass_under_every_scope(LobbyScope scope)
    {
        var s = Scheduled(admitters: [Supervisor], lobby: Lobby(scope));
        Assert.True(s.JoinAt(Technician, client: ClientKind.RemoteAssistHoloLens).GetValueOrThrow().Admitted);
        Assert.True(s.JoinAt(Supervisor).GetValueOrThrow().Admitted);
    }

    [Theory]
    [InlineData(LobbyScope.Organizer, false)]
    [InlineData(LobbyScope.Everyone, false)]
    [InlineData(LobbyScope.Organizer, true)]
    public void Dial_in_bypasses_only_by_its_own_switch(LobbyScope scope, bool dialInBypass)
    {
        var verdict = LobbyPolicy.Decide(Lobby(scope) with { DialInBypass = dialInBypass }, new LobbySubject(PrincipalKind.DialIn, false, false, false, false));
        Assert.Equal(dialInBypass, verdict.Bypass);
    }

    [Fact]
    public void Verified_invitee_is_auto_admitted_only_when_the_session_opts_in()
    {
        var proof = InvitationProof.Create(SessionKey, SessionName, Expert.Email!);
        var off = Scheduled(lobby: Lobby(LobbyScope.Invited));
        Assert.True(off.JoinAt(Expert, proof: proof).GetValueOrThrow().InLobby);

        var on = Scheduled(lobby: Lobby(LobbyScope.Organizer, autoAdmitVerified: true));
        var d = on.JoinAt(Expert, proof: proof).GetValueOrThrow();
        Assert.True(d.Admitted);
        Assert.Equal(SessionReasons.VerifiedInvitation, d.Rule);

        // A forged or missing proof waits even with the switch on.
        Assert.True(on.JoinAt(Expert, proof: InvitationProof.Create(SessionKey, SessionName, "other@oem.example")).GetValueOrThrow().InLobby);
        Assert.True(on.JoinAt(Expert).GetValueOrThrow().InLobby);
    }

    [Fact]
    public void Scope_names_match_graph_and_teams_policy_values()
    {
        foreach (var scope in Enum.GetValues<LobbyScope>())
        {
            Assert.True(LobbyPolicy.TryParseGraphName(LobbyPolicy.GraphName(scope), out var g) && g == scope);
            Assert.True(LobbyPolicy.TryParseAutoAdmittedUsers(LobbyPolicy.AutoAdmittedUsersName(scope), out var a) && a == scope);
        }

        Assert.Equal("organizationAndFederated", LobbyPolicy.GraphName(LobbyScope.OrganizationAndFederated));
        Assert.Equal("EveryoneInCompanyExcludingGuests", LobbyPolicy.AutoAdmittedUsersName(LobbyScope.OrganizationExcludingGuests));
    }

    [Fact]
    public void Teams_meeting_is_set_to_everyone_only_when_our_gate_fronts_it()
    {
        var session = Lobby(LobbyScope.Invited);
        var gated = LobbyPolicy.ForTeamsMeeting(session, gateFrontsMeeting: true);
        Assert.Equal(LobbyScope.Everyone, gated.Scope);
        Assert.False(gated.IsDialInBypassEnabled);

        var ungated = LobbyPolicy.ForTeamsMeeting(session, gateFrontsMeeting: false);
        Assert.Equal(LobbyScope.Invited, ungated.Scope);
        Assert.True(ungated.NeedsUnknownEnumMembersHeader);
    }
}
