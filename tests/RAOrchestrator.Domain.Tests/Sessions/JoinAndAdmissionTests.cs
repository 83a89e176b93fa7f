using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Sessions;
using static RAOrchestrator.Domain.Tests.Sessions.SessionFixture;

namespace RAOrchestrator.Domain.Tests.Sessions;

public sealed class JoinAndAdmissionTests
{
    [Theory]
    [InlineData(ClientKind.TeamsMobile, "Teams mobile")]
    [InlineData(ClientKind.RemoteAssistMobile, "Remote Assist mobile")]
    [InlineData(ClientKind.TeamsWeb, "Teams on the web")]
    [InlineData(ClientKind.Phone, "phone")]
    public void Unsupported_clients_are_refused_with_a_message_naming_the_client_and_what_is_allowed(ClientKind client, string named)
    {
        var r = Scheduled().JoinAt(Colleague, client: client);
        Assert.Equal(SessionReasons.ClientNotSupported, r.Refusal?.Reason);
        Assert.Contains(named, r.Refusal!.Message);
        Assert.Contains(ClientRules.AllowedClientsText, r.Refusal.Message);
        Assert.Empty(r.Events);
    }

    [Theory]
    [InlineData(ClientKind.RemoteAssistHoloLens)]
    [InlineData(ClientKind.TeamsDesktop)]
    public void Hololens_and_teams_desktop_may_join(ClientKind client) =>
        Assert.True(Scheduled().JoinAt(Colleague, client: client).Succeeded);

    [Fact]
    public void Anonymous_guest_cannot_join_from_remote_assist_hololens() =>
        Assert.Equal(SessionReasons.ClientNotSupported, Scheduled().JoinAt(Expert, client: ClientKind.RemoteAssistHoloLens).Refusal?.Reason);

    [Fact]
    public void Joining_before_the_window_opens_is_refused()
    {
        var s = Scheduled();
        Assert.Equal(SessionReasons.SessionNotStarted, s.JoinAt(Colleague, Start.AddMinutes(-16)).Refusal?.Reason);
        Assert.True(s.JoinAt(Colleague, Start.AddMinutes(-15)).Succeeded);
    }

    [Fact]
    public void Joining_after_the_schedule_ended_is_refused() =>
        Assert.Equal(SessionReasons.SessionWindowClosed, Scheduled().JoinAt(Colleague, End).Refusal?.Reason);

    [Fact]
    public void Joining_an_ended_or_cancelled_session_is_refused()
    {
        var active = Scheduled().JoinAt(Technician).State;
        var ended = active.EndSession(Actor(Technician), Start.AddMinutes(5)).State;
        Assert.Equal(SessionReasons.SessionEnded, ended.JoinAt(Colleague, Start.AddMinutes(6)).Refusal?.Reason);

        var cancelled = Scheduled().Cancel(Actor(Technician), Now).State;
        Assert.Equal(SessionReasons.SessionCancelled, cancelled.JoinAt(Colleague).Refusal?.Reason);
    }

    [Fact]
    public void Asking_again_while_admitted_returns_the_existing_state_without_events()
    {
        var first = Scheduled().JoinAt(Colleague);
        var again = first.State.JoinAt(Colleague, Start.AddMinutes(1));
        Assert.True(again.GetValueOrThrow().Existing);
        Assert.True(again.Value!.Admitted);
        Assert.Null(again.Value.Ticket);
        Assert.Empty(again.Events);
        Assert.Same(first.State, again.State);
    }

    [Fact]
    public void Asking_again_while_waiting_returns_the_existing_wait()
    {
        var first = Scheduled().JoinAt(Expert);
        var again = first.State.JoinAt(Expert, Start.AddMinutes(1));
        Assert.True(again.GetValueOrThrow().Existing);
        Assert.True(again.Value!.InLobby);
        Assert.Equal(first.Value!.LobbyDeadline, again.Value.LobbyDeadline);
        Assert.Empty(again.Events);
    }

    [Fact]
    public void Anonymous_join_is_refused_when_the_tenant_disabled_it_since_scheduling() =>
        Assert.Equal(SessionReasons.AnonymousJoinDisabled, Scheduled().JoinAt(Expert, inputs: Inputs(disableAnonymousJoin: true)).Refusal?.Reason);

    [Fact]
    public void Federated_user_joins_when_both_tenants_allow_each_other_and_is_refused_otherwise()
    {
        var s = Scheduled(lobby: Lobby(LobbyScope.OrganizationAndFederated));
        Assert.True(s.JoinAt(FabrikamUser).GetValueOrThrow().Admitted);
        Assert.Equal(SessionReasons.ExternalAccessBlocked, s.JoinAt(FabrikamUser, inputs: Inputs(fabrikamExternal: ExternalAccessPolicy.AllowOnly(NotOnboarded))).Refusal?.Reason);
        Assert.Equal(SessionReasons.InformationBarrier,
            s.JoinAt(FabrikamUser, inputs: Inputs(barriers: BarrierVerdicts.Blocking(FabrikamUser.Key, "Fabrikam segment 'Legal' may not meet ABC."))).Refusal?.Reason);
    }

    [Fact]
    public void Tenant_user_claiming_another_tenant_is_refused() =>
        Assert.Equal(SessionReasons.IdentityTenantMismatch, Scheduled().JoinAt(Principal.Member(Fabrikam, "x", "X")).Refusal?.Reason);

    [Fact]
    public void Anonymous_guest_needs_a_display_name_and_the_address_it_was_invited_at()
    {
        var r = Scheduled().JoinAt(new Principal(PrincipalKind.Anonymous, null, null, "not-an-address", ""));
        Assert.Equal(SessionReasons.InvalidArgument, r.Refusal?.Reason);
        Assert.Equal(["Who.DisplayName", "Who.Email"], r.Refusal!.Violations.Select(v => v.Field));
    }

    [Fact]
    public void Anonymous_participant_cannot_admit_invite_deny_or_remove()
    {
        var s = Scheduled().JoinAt(Expert).State.JoinAt(Stranger).State;
        var anon = Actor(Expert);
        Assert.Equal(SessionReasons.AnonymousCannotAdmit, s.Admit(anon, Stranger.Key, BarrierVerdicts.None, Start, NextRandom()).Refusal?.Reason);
        Assert.Equal(SessionReasons.AnonymousCannotAdmit, s.Deny(anon, Stranger.Key, Start).Refusal?.Reason);
        Assert.Equal(SessionReasons.AnonymousCannotAdmit, s.Remove(anon, Stranger.Key, Start).Refusal?.Reason);
        var invite = s.Invite(anon, [Principal.AnonymousGuest("friend@oem.example", "Friend")], Inputs(), Start);
        Assert.Equal(SessionReasons.AnonymousCannotInvite, invite.Refusal?.Reason);
        Assert.Equal(ErrorKind.PermissionDenied, invite.Refusal?.Kind);
    }

    [Fact]
    public void Other_tenant_users_who_are_not_admitters_cannot_admit()
    {
        var s = Scheduled().JoinAt(Expert).State;
        Assert.Equal(SessionReasons.NotOrganizerSide, s.Admit(Actor(Colleague), Expert.Key, BarrierVerdicts.None, Start, NextRandom()).Refusal?.Reason);
        Assert.Equal(SessionReasons.NotOrganizerSide, s.Admit(Actor(FabrikamUser), Expert.Key, BarrierVerdicts.None, Start, NextRandom()).Refusal?.Reason);
    }

    [Fact]
    public void Delegated_admitter_can_admit_and_invite()
    {
        var s = Scheduled(admitters: [Supervisor]).JoinAt(Expert).State;
        var admit = s.Admit(Actor(Supervisor), Expert.Key, BarrierVerdicts.None, Start.AddMinutes(1), NextRandom());
        Assert.True(admit.GetValueOrThrow().Changed);
        Assert.Equal(Supervisor.Key, admit.Value!.Participant.DecidedBy);
        Assert.Equal(Supervisor.Key, admit.Events.Single(e => e.Kind == SessionEventKind.Admitted).Actor);

        var invite = admit.State.Invite(Actor(Supervisor), [Principal.AnonymousGuest("second@oem.example", "Second Expert")], Inputs(), Start.AddMinutes(2));
        Assert.Single(invite.GetValueOrThrow().Added);
    }

    [Fact]
    public void Managing_partner_acts_on_the_organizer_side()
    {
        var s = Scheduled().JoinAt(Expert).State;
        Assert.True(s.Admit(SessionActor.Partner("contoso-msp"), Expert.Key, BarrierVerdicts.None, Start, NextRandom()).Succeeded);
    }

    [Fact]
    public void Admitting_twice_is_idempotent_and_admission_checks_barriers()
    {
        var s = Scheduled().JoinAt(Expert).State;
        Assert.Equal(SessionReasons.InformationBarrier,
            s.Admit(Actor(Technician), Expert.Key, BarrierVerdicts.Blocking(Expert.Key, "blocked"), Start, NextRandom()).Refusal?.Reason);
        var once = s.Admit(Actor(Technician), Expert.Key, BarrierVerdicts.None, Start, NextRandom());
        var twice = once.State.Admit(Actor(Technician), Expert.Key, BarrierVerdicts.None, Start, NextRandom());
        Assert.False(twice.GetValueOrThrow().Changed);
        Assert.Empty(twice.Events);
    }

    [Fact]
    public void Denied_participant_cannot_ask_again_but_one_who_left_can()
    {
        var s = Scheduled().JoinAt(Expert).State;
        var denied = s.Deny(Actor(Technician), Expert.Key, Start.AddMinutes(1));
        Assert.Equal(ParticipantStatus.Denied, denied.GetValueOrThrow().Participant.Status);
        Assert.Equal(SessionReasons.AdmissionDenied, denied.State.JoinAt(Expert, Start.AddMinutes(2)).Refusal?.Reason);

        var left = s.Leave(Expert.Key, Start.AddMinutes(1)).State;
        var again = left.JoinAt(Expert, Start.AddMinutes(2)).GetValueOrThrow();
        Assert.True(again.InLobby);
        Assert.Equal(2, again.Participant.Attempt);
    }

    [Fact]
    public void Removed_participant_cannot_come_back_and_the_organizer_cannot_be_removed()
    {
        var s = Scheduled().JoinAt(Technician).State.JoinAt(Colleague).State;
        var removed = s.Remove(Actor(Technician), Colleague.Key, Start.AddMinutes(1));
        Assert.Equal(ParticipantStatus.Removed, removed.GetValueOrThrow().Participant.Status);
        Assert.Equal(SessionReasons.ParticipantRemoved, removed.State.JoinAt(Colleague, Start.AddMinutes(2)).Refusal?.Reason);
        Assert.Equal(SessionReasons.CannotRemoveOrganizer, s.Remove(Actor(Technician), Technician.Key, Start).Refusal?.Reason);
    }

    [Fact]
    public void Deny_applies_only_to_lobby_waits()
    {
        var s = Scheduled().JoinAt(Colleague).State;
        Assert.Equal(SessionReasons.ParticipantNotInLobby, s.Deny(Actor(Technician), Colleague.Key, Start).Refusal?.Reason);
        Assert.Equal(SessionReasons.ParticipantNotFound, s.Deny(Actor(Technician), "guest:nobody@x.example", Start).Refusal?.Reason);
    }

    [Fact]
    public void Join_attempts_and_participants_are_bounded()
    {
        var limits = SessionLimits.Default with { MaxJoinAttemptsPerParticipant = 2, MaxParticipants = 2 };
        var s = Scheduled(limits: limits);
        s = s.JoinAt(Expert).State.Leave(Expert.Key, Start).State;
        s = s.JoinAt(Expert).State.Leave(Expert.Key, Start).State;
        Assert.Equal(SessionReasons.JoinAttemptLimitReached, s.JoinAt(Expert).Refusal?.Reason);
        s = s.JoinAt(Colleague).State.JoinAt(FabrikamUser).State;
        Assert.Equal(SessionReasons.ParticipantLimitReached, s.JoinAt(Stranger).Refusal?.Reason);
    }

    [Fact]
    public void Inviting_later_adds_only_new_invitees_and_refuses_after_the_window()
    {
        var s = Scheduled(invitees: [Expert]);
        var step = s.Invite(Actor(Technician), [Expert, FabrikamUser], Inputs(), Now);
        var d = step.GetValueOrThrow();
        Assert.Equal([FabrikamUser.Key], d.Added.Select(i => i.Key));
        Assert.Equal([Expert.Key], d.AlreadyInvited.ToArray());
        Assert.Single(step.Events);
        Assert.Equal(SessionReasons.SessionWindowClosed, s.Invite(Actor(Technician), [Stranger], Inputs(), End).Refusal?.Reason);
        Assert.Equal(SessionReasons.AnonymousJoinDisabled, s.Invite(Actor(Technician), [Stranger], Inputs(disableAnonymousJoin: true), Now).Refusal?.Reason);
    }
}
