using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Sessions;
using static RAOrchestrator.Domain.Tests.Sessions.SessionFixture;

namespace RAOrchestrator.Domain.Tests.Sessions;

public sealed class SchedulingTests
{
    private static SessionRefusal? Refusal(ScheduleRequest request, SessionPolicyInputs? inputs = null) =>
        SessionState.Schedule(request, inputs ?? Inputs(), Meeting(), Now).Refusal;

    [Fact]
    public void Meet_now_without_a_schedule_is_refused()
    {
        Assert.Equal(SessionReasons.MeetNowNotSupported, Refusal(Request(meetNow: true))?.Reason);
        Assert.Equal(SessionReasons.MeetNowNotSupported, Refusal(Request() with { Start = null, End = null })?.Reason);
    }

    [Fact]
    public void End_must_be_after_start() =>
        Assert.Equal(SessionReasons.EndNotAfterStart, Refusal(Request(start: Start, end: Start))?.Reason);

    [Fact]
    public void Duration_is_bounded_to_24_hours()
    {
        Assert.Equal(SessionReasons.SessionTooLong, Refusal(Request(start: Start, end: Start.AddHours(24).AddMinutes(1)))?.Reason);
        Assert.Null(Refusal(Request(start: Start, end: Start.AddHours(24))));
    }

    [Fact]
    public void Start_in_the_past_beyond_the_tolerance_is_refused()
    {
        Assert.Equal(SessionReasons.StartInPast, Refusal(Request(start: Now.AddMinutes(-6), end: Now.AddHours(1)))?.Reason);
        Assert.Null(Refusal(Request(start: Now.AddMinutes(-4), end: Now.AddHours(1))));
    }

    [Fact]
    public void Empty_subject_is_an_invalid_argument_naming_the_field()
    {
        var r = Refusal(Request(subject: " "));
        Assert.Equal(SessionReasons.InvalidArgument, r?.Reason);
        Assert.Equal(ErrorKind.InvalidArgument, r?.Kind);
        Assert.Contains(r!.Violations, v => v.Field == SessionFields.Subject);
    }

    [Fact]
    public void Organizer_without_a_remote_assist_licence_is_refused()
    {
        var r = Refusal(Request(), Inputs(licensed: false));
        Assert.Equal(SessionReasons.OrganizerNotLicensed, r?.Reason);
        Assert.Equal(ErrorKind.PermissionDenied, r?.Kind);
    }

    [Fact]
    public void Organizer_must_be_a_member_of_the_tenant()
    {
        var inputs = Inputs() with { Organizer = new OrganizerFacts(AbcGuest, true, OrganizerMeetingPolicy.Default) };
        Assert.Equal(SessionReasons.OrganizerNotInTenant, Refusal(Request(), inputs)?.Reason);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public void Email_invitee_is_refused_unless_the_org_allows_anonymous_join_and_the_organizer_policy_does(bool orgDisables, bool organizerAllows)
    {
        var r = Refusal(Request(invitees: [Expert]), Inputs(disableAnonymousJoin: orgDisables, organizerAllowsAnonymous: organizerAllows));
        Assert.Equal(SessionReasons.AnonymousJoinDisabled, r?.Reason);
        Assert.Contains(r!.Violations, v => v.Field == "Invitees[0]");
    }

    [Fact]
    public void Email_invitee_is_accepted_when_both_switches_allow_anonymous_join() =>
        Assert.Null(Refusal(Request(invitees: [Expert]), Inputs(disableAnonymousJoin: false, organizerAllowsAnonymous: true)));

    [Fact]
    public void Federated_invitee_is_refused_when_our_allow_list_excludes_their_tenant() =>
        Assert.Equal(SessionReasons.ExternalAccessBlocked,
            Refusal(Request(invitees: [FabrikamUser]), Inputs(abcExternal: ExternalAccessPolicy.AllowOnly(NotOnboarded)))?.Reason);

    [Fact]
    public void Federated_invitee_is_refused_when_their_allow_list_excludes_our_tenant() =>
        Assert.Equal(SessionReasons.ExternalAccessBlocked,
            Refusal(Request(invitees: [FabrikamUser]), Inputs(fabrikamExternal: ExternalAccessPolicy.Block(Abc)))?.Reason);

    [Fact]
    public void Federated_invitee_is_refused_when_either_side_disabled_external_access()
    {
        Assert.Equal(SessionReasons.ExternalAccessBlocked, Refusal(Request(invitees: [FabrikamUser]), Inputs(abcExternal: ExternalAccessPolicy.Disabled))?.Reason);
        Assert.Equal(SessionReasons.ExternalAccessBlocked, Refusal(Request(invitees: [FabrikamUser]), Inputs(fabrikamExternal: ExternalAccessPolicy.Disabled))?.Reason);
    }

    [Fact]
    public void Federated_invitee_is_accepted_when_both_tenants_allow_each_other() =>
        Assert.Null(Refusal(Request(invitees: [FabrikamUser]),
            Inputs(abcExternal: ExternalAccessPolicy.AllowOnly(Fabrikam), fabrikamExternal: ExternalAccessPolicy.AllowOnly(Abc))));

    [Fact]
    public void Invitee_of_a_tenant_the_service_has_not_onboarded_is_refused_in_the_same_words_as_one_that_does_not_allow_this_tenant()
    {
        var notOnboarded = Refusal(Request(invitees: [Principal.FederatedUser(NotOnboarded, "x", "x")]), Inputs(abcExternal: ExternalAccessPolicy.AllowOnly(Fabrikam, NotOnboarded)));
        var notAllowing = Refusal(Request(invitees: [Principal.FederatedUser(Fabrikam, "x", "x")]), Inputs(abcExternal: ExternalAccessPolicy.AllowOnly(Fabrikam, NotOnboarded), fabrikamExternal: ExternalAccessPolicy.Disabled));

        Assert.Equal(SessionReasons.ExternalAccessBlocked, notOnboarded?.Reason);
        Assert.Equal(notOnboarded!.Message.Replace(NotOnboarded, "T"), notAllowing!.Message.Replace(Fabrikam, "T"));
        Assert.Equal(notOnboarded.Violations.Select(v => v with { Description = v.Description.Replace(NotOnboarded, "T") }),
            notAllowing.Violations.Select(v => v with { Description = v.Description.Replace(Fabrikam, "T") }));
    }

    [Fact]
    public void Invitee_blocked_by_information_barriers_of_either_tenant_is_refused()
    {
        var ours = BarrierVerdicts.Blocking(Colleague.Key, "Policy 'Sales-Research' of segment 'Sales' blocks segment 'Research'.");
        Assert.Equal(SessionReasons.InformationBarrier, Refusal(Request(invitees: [Colleague]), Inputs(barriers: ours))?.Reason);

        var theirs = BarrierVerdicts.Blocking(FabrikamUser.Key, "Fabrikam's policy blocks external meetings for segment 'Legal'.");
        Assert.Equal(SessionReasons.InformationBarrier, Refusal(Request(invitees: [FabrikamUser]), Inputs(barriers: BarrierVerdicts.None.Merge(theirs)))?.Reason);
    }

    [Fact]
    public void Each_bad_invitee_is_named_and_the_first_reason_is_reported()
    {
        var r = Refusal(Request(invitees: [Colleague, Expert, FabrikamUser]), Inputs(disableAnonymousJoin: true, fabrikamExternal: ExternalAccessPolicy.Disabled));
        Assert.Equal(SessionReasons.AnonymousJoinDisabled, r?.Reason);
        Assert.Equal(["Invitees[1]", "Invitees[2]"], r!.Violations.Select(v => v.Field));
    }

    [Fact]
    public void Delegated_admitters_must_be_members_of_the_tenant()
    {
        Assert.Equal(SessionReasons.AdmitterNotInTenant, Refusal(Request(admitters: [FabrikamUser]))?.Reason);
        Assert.Equal(SessionReasons.AdmitterNotInTenant, Refusal(Request(admitters: [Expert]))?.Reason);
        Assert.Null(Refusal(Request(admitters: [Supervisor])));
    }

    [Fact]
    public void Lobby_defaults_to_the_organizer_policy_when_the_request_names_none()
    {
        var s = SessionState.Schedule(Request(lobby: null), Inputs(autoAdmitted: LobbyScope.OrganizationExcludingGuests), Meeting(), Now).GetValueOrThrow();
        Assert.Equal(LobbyScope.OrganizationExcludingGuests, s.Lobby.Scope);
    }

    [Fact]
    public void Scheduling_appends_scheduled_then_one_invited_event_per_invitee()
    {
        var s = Scheduled(invitees: [Expert, FabrikamUser, Expert]);
        Assert.Equal([SessionEventKind.Scheduled, SessionEventKind.Invited, SessionEventKind.Invited], s.Events.Select(e => e.Kind));
        Assert.Equal(2, s.Invitations.Count);
    }

    [Fact]
    public void Join_url_must_be_https()
    {
        var r = SessionState.Schedule(Request(), Inputs(), Meeting() with { JoinUrl = "http://teams.example/x" }, Now).Refusal;
        Assert.Equal(SessionReasons.InvalidArgument, r?.Reason);
    }

    [Fact]
    public void Invitee_count_is_bounded()
    {
        var many = Enumerable.Range(0, SessionLimits.Default.MaxInvitees + 1).Select(i => Principal.AnonymousGuest($"g{i}@x.example", $"G{i}"));
        Assert.Equal(SessionReasons.InviteeLimitReached, Refusal(Request(invitees: many))?.Reason);
    }

    [Theory]
    [InlineData(0.5, false)]
    [InlineData(1, true)]
    [InlineData(86_400, true)]
    [InlineData(86_401, false)]
    public void A_lobby_wait_is_allowed_between_one_second_and_a_day_the_bounds_the_api_checks_too(double seconds, bool allowed)
    {
        var r = Refusal(Request(lobby: LobbySettings.Default with { MaxLobbyWait = TimeSpan.FromSeconds(seconds) }));
        Assert.Equal(allowed, r is null);
        Assert.Equal(allowed, LobbySettings.IsValidMaxLobbyWait(TimeSpan.FromSeconds(seconds)));
        if (!allowed)
        {
            Assert.Equal([SessionFields.Lobby], r!.Violations.Select(v => v.Field));
        }
    }
}
