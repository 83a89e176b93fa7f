using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using RAOrchestrator.Domain.Sessions;
using static RAOrchestrator.Domain.Tests.Sessions.SessionFixture;

namespace RAOrchestrator.Domain.Tests.Sessions;

public sealed class TimelineTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void Events_after_n_return_the_rest_in_order_and_page()
    {
        var s = Scheduled(invitees: [Expert, FabrikamUser]).JoinAt(Technician).State.JoinAt(Expert).State;
        Assert.Equal(7, s.LastSequence);

        var all = s.EventsAfter(0);
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], all.Events.Select(e => e.Sequence));
        Assert.False(all.HasMore);

        var page = s.EventsAfter(2, max: 3);
        Assert.Equal([3L, 4, 5], page.Events.Select(e => e.Sequence));
        Assert.True(page.HasMore);
        Assert.Equal(7, page.LastSequence);

        Assert.Equal([6L, 7], s.EventsAfter(page.Events[^1].Sequence).Events.Select(e => e.Sequence));
        Assert.Empty(s.EventsAfter(7).Events);
        Assert.Empty(s.EventsAfter(99).Events);
        Assert.Equal(7, s.EventsAfter(-5).Events.Length);
    }

    [Fact]
    public void Refusals_append_nothing()
    {
        var s = Scheduled();
        var r = s.JoinAt(Colleague, client: ClientKind.TeamsMobile);
        Assert.False(r.Succeeded);
        Assert.Same(s, r.State);
        Assert.Empty(r.Events);
    }

    [Fact]
    public void Default_limits_bound_the_timeline_under_what_table_storage_holds()
    {
        Assert.Equal(828, SessionLimits.Default.MaxEvents);
        Assert.True(SessionLimits.Default.MaxEvents * 400 < 960 * 1024);
    }

    [Fact]
    public void Session_state_and_decisions_round_trip_through_the_orleans_serializer()
    {
        var s = Scheduled(invitees: [Expert, FabrikamUser], admitters: [Supervisor]).JoinAt(Technician).State.JoinAt(Expert).State;
        var admit = s.Admit(Actor(Technician), Expert.Key, BarrierVerdicts.None, Start, NextRandom());
        s = admit.State;

        var back = Serializer.Deserialize<SessionState>(Serializer.SerializeToArray(s))!;
        Assert.Equal(s.Name, back.Name);
        Assert.Equal(s.Organizer, back.Organizer);
        Assert.Equal(s.Lobby, back.Lobby);
        Assert.Equal(s.Meeting, back.Meeting);
        Assert.Equal(s.Limits, back.Limits);
        Assert.Equal(s.DelegatedAdmitters.ToArray(), back.DelegatedAdmitters.ToArray());
        Assert.Equal(s.Events.ToArray(), back.Events.ToArray());
        Assert.Equal(s.Participants.OrderBy(p => p.Key).ToArray(), back.Participants.OrderBy(p => p.Key).ToArray());
        Assert.Equal(s.Tickets.OrderBy(p => p.Key).ToArray(), back.Tickets.OrderBy(p => p.Key).ToArray());
        Assert.Equal(s.Invitations.OrderBy(p => p.Key).ToArray(), back.Invitations.OrderBy(p => p.Key).ToArray());

        // The restored state keeps working: the ticket issued before persistence redeems once.
        Assert.True(back.RedeemTicket(admit.Value!.Ticket!.Token, Start).Succeeded);

        var ticket = admit.Value.Ticket;
        Assert.Equal(ticket, Serializer.Deserialize<JoinTicket>(Serializer.SerializeToArray(ticket)));
        var inputs = Inputs(abcExternal: ExternalAccessPolicy.AllowOnly(Fabrikam), barriers: BarrierVerdicts.Blocking("k", "why"));
        var inputsBack = Serializer.Deserialize<SessionPolicyInputs>(Serializer.SerializeToArray(inputs))!;
        Assert.True(inputsBack.Tenant.ExternalAccess.Allows(Fabrikam));
        Assert.True(inputsBack.Barriers.IsBlocked("k", out _));
    }

    /// <summary>
    /// Random operations by random actors at a moving clock: whatever happens, the timeline stays gap-free and every
    /// participant's status agrees with the last event about it.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Random_sequences_keep_the_timeline_gap_free_and_states_consistent(int seed)
    {
        var rng = new Random(seed);
        var people = new[] { Technician, Supervisor, Colleague, AbcGuest, FabrikamUser, Expert, Stranger, Principal.AnonymousGuest("third@oem.example", "Third") };
        var actors = people.Select(Actor).Append(SessionActor.Partner("msp")).ToArray();
        var clients = Enum.GetValues<ClientKind>();
        var scopes = Enum.GetValues<LobbyScope>();
        var s = Scheduled(invitees: [Expert, FabrikamUser], admitters: [Supervisor], lobby: Lobby(scopes[rng.Next(scopes.Length)], rng.Next(2) == 0, TimeSpan.FromMinutes(rng.Next(1, 20))));
        var clock = Start.AddMinutes(-20);
        var tickets = new List<string>();

        for (var i = 0; i < 400; i++)
        {
            clock = clock.AddSeconds(rng.Next(0, 20));
            var who = people[rng.Next(people.Length)];
            var actor = actors[rng.Next(actors.Length)];
            var before = s;
            var events = rng.Next(10) switch
            {
                0 or 1 => Apply(s.Join(Ask(who, clients[rng.Next(clients.Length)], who.Kind == PrincipalKind.Anonymous ? InvitationProof.Create(SessionKey, SessionName, who.Email!) : null), Inputs(), SessionKey, clock, NextRandom()), t => t.Ticket?.Token),
                2 => Apply(s.Admit(actor, who.Key, BarrierVerdicts.None, clock, NextRandom()), t => t.Ticket?.Token),
                3 => Apply(s.Deny(actor, who.Key, clock), _ => null),
                4 => Apply(s.Remove(actor, who.Key, clock), _ => null),
                5 => Apply(s.Leave(who.Key, clock), _ => null),
                6 => Apply(s.Tick(clock), _ => null),
                7 when tickets.Count > 0 => Apply(s.RedeemTicket(tickets[rng.Next(tickets.Count)], clock), _ => null),
                7 => Apply(s.Tick(clock), _ => null),
                8 => Apply(s.IssueTicket(who.Key, clock, NextRandom()), t => t.Token),
                _ => rng.Next(20) == 0 ? Apply(s.EndSession(actor, clock), _ => null) : Apply(s.Invite(actor, [who], Inputs(), clock), _ => null),
            };

            Assert.Equal(before.Events.Count + events, s.Events.Count);
            AssertConsistent(s);
        }

        // The run did exercise the rules, not only refusals.
        Assert.Contains(s.Events, e => e.Kind is SessionEventKind.Admitted or SessionEventKind.JoinedLobby);

        int Apply<T>(SessionStep<T> step, Func<T, string?> token) where T : class
        {
            if (step.Succeeded && token(step.Value!) is { } t)
            {
                tickets.Add(t);
            }

            Assert.Equal(step.Events.ToArray(), step.State.Events.Skip(s.Events.Count).ToArray());
            s = step.State;
            return step.Events.Length;
        }
    }

    private static void AssertConsistent(SessionState s)
    {
        Assert.Equal(Enumerable.Range(1, s.Events.Count).Select(i => (long)i), s.Events.Select(e => e.Sequence));
        Assert.True(s.Events.Count <= s.Limits.MaxEvents);
        Assert.True(s.Events.Zip(s.Events.Skip(1)).All(p => p.First.At <= p.Second.At));
        Assert.True(s.Participants.Count <= s.Limits.MaxParticipants);
        Assert.True(s.Invitations.Count <= s.Limits.MaxInvitees);

        var admittedOrWaiting = s.Participants.Values.Any(p => p.Status is ParticipantStatus.Admitted or ParticipantStatus.InLobby);
        if (s.IsTerminal)
        {
            Assert.False(admittedOrWaiting);
            Assert.Contains(s.Events[^1].Kind, new[] { SessionEventKind.Ended, SessionEventKind.Cancelled });
        }

        if (s.Participants.Values.Any(p => p.AdmittedAt is not null))
        {
            Assert.NotEqual(SessionStatus.Scheduled, s.Status);
        }

        foreach (var p in s.Participants.Values)
        {
            var last = s.Events.Last(e => e.Subject == p.Id && e.Kind is not (SessionEventKind.Invited or SessionEventKind.TicketIssued or SessionEventKind.TicketRedeemed));
            var expected = last.Kind switch
            {
                SessionEventKind.JoinedLobby => ParticipantStatus.InLobby,
                SessionEventKind.Admitted => ParticipantStatus.Admitted,
                SessionEventKind.Denied => ParticipantStatus.Denied,
                SessionEventKind.Removed => ParticipantStatus.Removed,
                SessionEventKind.Left => ParticipantStatus.Left,
                SessionEventKind.TimedOut => ParticipantStatus.TimedOut,
                SessionEventKind.Released => ParticipantStatus.Released,
                _ => throw new InvalidOperationException(last.Kind.ToString()),
            };
            Assert.Equal(expected, p.Status);
            Assert.True(p.Attempt <= s.Limits.MaxJoinAttemptsPerParticipant);
        }

        foreach (var t in s.Tickets.Values.Where(t => t.RedeemedAt is not null))
        {
            Assert.Single(s.Events, e => e.Kind == SessionEventKind.TicketRedeemed && e.Subject == t.ParticipantId && e.At == t.RedeemedAt);
        }
    }
}
