using System.Collections.Immutable;
using RAOrchestrator.Domain.Sessions;
using static RAOrchestrator.Domain.Tests.Sessions.SessionFixture;

namespace RAOrchestrator.Domain.Tests.Sessions;

public sealed class SessionDeltaTests
{
    [Fact]
    public void Every_step_of_a_whole_session_is_rebuilt_from_its_delta()
    {
        var s = Scheduled(invitees: [Expert, FabrikamUser], lobby: Lobby(LobbyScope.Organization, maxWait: TimeSpan.FromMinutes(10)));
        var deltas = new List<SessionDelta>();

        SessionStep<T> Step<T>(SessionStep<T> step)
            where T : class
        {
            Assert.True(step.Succeeded, step.Refusal?.Message);
            Assert.NotEmpty(step.Events);
            var delta = SessionDelta.Between(s, step.State);
            AssertSameSession(step.State, delta.ApplyTo(s));
            Assert.Equal(step.Events.ToArray(), delta.Events.ToArray());
            deltas.Add(delta);
            s = step.State;
            return step;
        }

        var first = s;
        Step(s.Invite(Actor(Technician), [Stranger], Inputs(), Now));
        Step(s.JoinAt(Technician, Start));
        Step(s.JoinAt(Expert, Start));
        Step(s.JoinAt(Stranger, Start.AddMinutes(1)));
        Step(s.JoinAt(FabrikamUser, Start.AddMinutes(2)));
        var ticket = Step(s.Admit(Actor(Technician), Expert.Key, BarrierVerdicts.None, Start.AddMinutes(3), NextRandom())).Value!.Ticket!;
        Step(s.RedeemTicket(ticket.Token, Start.AddMinutes(4)));
        Step(s.Deny(Actor(Technician), Stranger.Key, Start.AddMinutes(5)));
        Step(s.JoinAt(Colleague, Start.AddMinutes(5)));
        Step(s.Remove(Actor(Technician), Colleague.Key, Start.AddMinutes(6)));
        Step(s.Leave(Expert.Key, Start.AddMinutes(7)));
        var tick = Step(s.Tick(Start.AddMinutes(13)));
        Assert.Equal([FabrikamUser.Key], tick.Value!.TimedOut.ToArray());
        Step(s.IssueTicket(Technician.Key, Start.AddMinutes(14), NextRandom()));
        Step(s.EndSession(Actor(Technician), Start.AddMinutes(20)));
        Assert.Equal(SessionStatus.Ended, s.Status);

        // Replaying the whole log onto the scheduled state gives the final state.
        AssertSameSession(s, deltas.Aggregate(first, (state, delta) => delta.ApplyTo(state)));
    }

    [Fact]
    public void A_delta_carries_only_what_the_step_changed()
    {
        var s = Scheduled(invitees: [Expert]).JoinAt(Technician, Start).State;

        var join = s.JoinAt(Expert, Start);
        var delta = SessionDelta.Between(s, join.State);
        Assert.Null(delta.Header); // a lobby wait changes no header field
        Assert.Equal([Expert.Key], delta.Participants.Keys.ToArray());
        Assert.Empty(delta.Invitations);
        Assert.Empty(delta.Tickets);
        Assert.Equal(s.LastSequence, delta.FromSequence);
        Assert.Equal(join.Events.ToArray(), delta.Events.ToArray());

        var admit = join.State.Admit(Actor(Technician), Expert.Key, BarrierVerdicts.None, Start, NextRandom());
        delta = SessionDelta.Between(join.State, admit.State);
        Assert.Null(delta.Header);
        Assert.Equal([Expert.Key], delta.Participants.Keys.ToArray());
        Assert.Single(delta.Tickets);

        var end = admit.State.EndSession(Actor(Technician), Start.AddMinutes(5));
        delta = SessionDelta.Between(admit.State, end.State);
        Assert.Equal(SessionStatus.Ended, delta.Header!.Status);
        Assert.Empty(delta.Header.Participants);
        Assert.Empty(delta.Header.Events);
    }

    [Fact]
    public void The_update_time_travels_beside_the_header_so_a_lobby_wait_still_stores_none()
    {
        var s = Scheduled(invitees: [Expert]).JoinAt(Technician, Start).State;
        var joined = s.JoinAt(Expert, Start).State with { UpdatedAt = Start.AddSeconds(3) };

        var delta = SessionDelta.Between(s, joined);
        Assert.Null(delta.Header);
        Assert.Equal(Start.AddSeconds(3), delta.UpdatedAt);
        Assert.Equal(Start.AddSeconds(3), delta.ApplyTo(s).UpdatedAt);
    }

    [Fact]
    public void The_first_admission_carries_the_header_because_the_session_starts()
    {
        var s = Scheduled(invitees: [Expert]);
        var join = s.JoinAt(Technician, Start);
        var delta = SessionDelta.Between(s, join.State);
        Assert.Equal(SessionStatus.Active, delta.Header!.Status);
        AssertSameSession(join.State, delta.ApplyTo(s));
    }

    [Fact]
    public void An_unchanged_step_has_an_empty_delta()
    {
        var s = Scheduled().JoinAt(Expert, Start).State;
        var tick = s.Tick(Start.AddMinutes(1));
        Assert.Empty(tick.Events);
        var delta = SessionDelta.Between(s, tick.State);
        Assert.True(delta.IsEmpty);
        Assert.Same(s.Participants, delta.ApplyTo(s).Participants);
    }

    [Fact]
    public void Entries_equal_by_value_are_left_out_and_removed_entries_are_removed()
    {
        var s = Scheduled(invitees: [Expert, Stranger]).JoinAt(Expert, Start).State;
        var copy = s.Participants[Expert.Key] with { };
        Assert.NotSame(s.Participants[Expert.Key], copy);

        // The rules never remove an entry, but the delta does not rely on that.
        var after = s with
        {
            Participants = s.Participants.SetItem(Expert.Key, copy),
            Invitations = s.Invitations.Remove(Stranger.Key),
        };
        var delta = SessionDelta.Between(s, after);
        Assert.Empty(delta.Participants);
        Assert.Equal([Stranger.Key], delta.RemovedInvitations.ToArray());
        Assert.Empty(delta.Events);
        AssertSameSession(after, delta.ApplyTo(s));
    }

    [Fact]
    public void A_delta_applies_only_to_the_state_it_was_taken_from()
    {
        var s = Scheduled();
        var joined = s.JoinAt(Expert, Start).State;
        var delta = SessionDelta.Between(s, joined);
        Assert.Throws<InvalidOperationException>(() => delta.ApplyTo(joined));

        // Nor is an earlier state a later one's successor.
        Assert.Throws<ArgumentException>(() => SessionDelta.Between(joined, s));
    }

    /// <summary>
    /// Record equality does not see into ImmutableDictionary/ImmutableList (they compare by reference), so the header is
    /// compared as a record with the collections blanked, and each collection entry by entry.
    /// </summary>
    internal static void AssertSameSession(SessionState expected, SessionState actual)
    {
        static SessionState Header(SessionState s) => s with
        {
            Invitations = ImmutableDictionary<string, Invitation>.Empty,
            Participants = ImmutableDictionary<string, Participant>.Empty,
            Tickets = ImmutableDictionary<string, TicketRecord>.Empty,
            Events = ImmutableList<SessionEvent>.Empty,
        };

        Assert.Equal(Header(expected), Header(actual));
        AssertSameEntries(expected.Invitations, actual.Invitations);
        AssertSameEntries(expected.Participants, actual.Participants);
        AssertSameEntries(expected.Tickets, actual.Tickets);
        Assert.Equal(expected.Events.ToArray(), actual.Events.ToArray());
    }

    private static void AssertSameEntries<T>(ImmutableDictionary<string, T> expected, ImmutableDictionary<string, T> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, value) in expected)
        {
            Assert.Equal(value, actual[key]);
        }
    }
}
