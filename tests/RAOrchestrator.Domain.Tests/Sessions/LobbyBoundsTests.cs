using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Requests;
using RAOrchestrator.Domain.Sessions;
using static RAOrchestrator.Domain.Tests.Sessions.SessionFixture;

namespace RAOrchestrator.Domain.Tests.Sessions;

/// <summary>The participant cap counts only people waiting or admitted; made-up joins have a budget of their own and cannot grow the state.</summary>
public sealed class LobbyBoundsTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    private static Principal MadeUp(int i) => Principal.AnonymousGuest($"made-up-{i}@spam.example", $"Spammer {i}");

    [Fact]
    public void Denied_removed_and_timed_out_people_do_not_count_toward_the_participant_cap()
    {
        var s = Scheduled(limits: SessionLimits.Default with { MaxParticipants = 2 });
        s = s.JoinAt(MadeUp(1)).State.Deny(Actor(Technician), MadeUp(1).Key, Start).State;
        s = s.JoinAt(MadeUp(2)).State.Remove(Actor(Technician), MadeUp(2).Key, Start).State;
        s = s.JoinAt(MadeUp(3)).State.Tick(Start.AddHours(1).AddMinutes(-1)).State;
        Assert.Equal(ParticipantStatus.TimedOut, s.Find(MadeUp(3).Key)!.Status);

        var a = s.JoinAt(Expert, Start.AddMinutes(50));
        Assert.True(a.Succeeded, a.Refusal?.ToString());
        var b = a.State.JoinAt(Colleague, Start.AddMinutes(50));
        Assert.True(b.Succeeded, b.Refusal?.ToString());
        Assert.Equal(SessionReasons.ParticipantLimitReached, b.State.JoinAt(FabrikamUser, Start.AddMinutes(50)).Refusal?.Reason);
    }

    [Fact]
    public void The_organizer_and_delegated_admitters_get_in_when_the_cap_is_reached()
    {
        var s = Scheduled(admitters: [Supervisor], limits: SessionLimits.Default with { MaxParticipants = 1 });
        s = s.JoinAt(Expert).State;
        Assert.Equal(SessionReasons.ParticipantLimitReached, s.JoinAt(Colleague).Refusal?.Reason);

        var organizer = s.JoinAt(Technician);
        Assert.True(organizer.GetValueOrThrow().Admitted);
        var admitter = organizer.State.JoinAt(Supervisor);
        Assert.True(admitter.GetValueOrThrow().Admitted);
    }

    [Fact]
    public void Uninvited_anonymous_lobby_entries_have_a_budget_of_their_own()
    {
        var s = Scheduled(invitees: [Expert], limits: SessionLimits.Default with { MaxAnonymousLobbyEntries = 2 });
        s = s.JoinAt(MadeUp(1)).State.Deny(Actor(Technician), MadeUp(1).Key, Start).State;
        s = s.JoinAt(MadeUp(2)).State.Leave(MadeUp(2).Key, Start).State;

        var refusal = s.JoinAt(MadeUp(3)).Refusal!;
        Assert.Equal((SessionReasons.AnonymousLobbyLimitReached, ErrorKind.ResourceExhausted), (refusal.Reason, refusal.Kind));
        Assert.Equal(SessionReasons.AnonymousLobbyLimitReached, s.JoinAt(MadeUp(2)).Refusal?.Reason);

        // The invited guest and accounts still get in.
        Assert.True(s.JoinAt(Expert).GetValueOrThrow().InLobby);
        Assert.True(s.JoinAt(Colleague).GetValueOrThrow().Admitted);
    }

    [Fact]
    public void A_repeated_invite_tells_what_it_added_from_what_it_found_invited_as_the_first_call_did()
    {
        var s = Scheduled(invitees: [Expert]);
        var step = s.Invite(Actor(Technician), [Expert, Stranger, Stranger, Expert], Inputs(), Now);
        var first = step.GetValueOrThrow();
        var remembered = step.Remembering("msp|r1", d => new ProcessedSessionRequest("msp|r1", "invite", [.. d.Added.Select(i => i.Key)], step.Events[0].Sequence))
            .State.Processed("msp|r1", "invite")!;

        Assert.Equal(first.AlreadyInvited.ToArray(), remembered.AlreadyInvited([Expert.Key, Stranger.Key, Stranger.Key, Expert.Key]).ToArray());
        Assert.Null(step.State.Processed(RequestKey.Of("msp", string.Empty), "invite"));
        Assert.Null(step.State.Remember(remembered).Processed("msp|r1", "end"));
    }

    [Fact]
    public void A_session_remembers_only_its_newest_request_ids()
    {
        var s = Scheduled();
        for (var i = 0; i < SessionRequests.Bound + 5; i++)
        {
            s = s.Remember(new ProcessedSessionRequest($"msp|r{i}", "end", [], 0));
        }

        Assert.Equal(SessionRequests.Bound, s.Requests!.Count);
        Assert.Null(s.Processed("msp|r0", "end"));
        Assert.NotNull(s.Processed($"msp|r{SessionRequests.Bound + 4}", "end"));

        // What a session remembers survives storage, with the rest of its new fields.
        s = s.MeetingReplaced(s.Meeting with { MeetingId = "m-2" }) with { AnonymousLobbyEntries = 3, MeetingRotationDue = true };
        var back = Serializer.Deserialize<SessionState>(Serializer.SerializeToArray(s))!;
        Assert.Equal(s.Requests!.ToArray(), back.Requests!.ToArray());
        Assert.Equal((3, true, 1, "m-2"), (back.AnonymousLobbyEntries, back.MeetingRotationDue, back.MeetingGeneration, back.Meeting.MeetingId));
    }

    [Fact]
    public void Made_up_joins_never_grow_the_state_past_its_bounds()
    {
        var limits = SessionLimits.Default with { MaxAnonymousLobbyEntries = int.MaxValue };
        var s = Scheduled(limits: limits, lobby: Lobby(LobbyScope.Organization, maxWait: TimeSpan.FromHours(2)));
        var longest = new string('x', EmailAddress.MaxLength - "@spam.example".Length - 6);
        for (var i = 0; i < 2_000; i++)
        {
            var who = Principal.AnonymousGuest($"{i:D6}{longest}@spam.example", new string('n', 256));
            var step = s.JoinAt(who);
            Assert.True(step.Succeeded, step.Refusal?.ToString());
            var denied = step.State.Deny(Actor(Technician), who.Key, Start);
            Assert.True(denied.Succeeded, denied.Refusal?.ToString());
            if (i >= 1_950)
            {
                // Once the oldest records and events go, a stored step (a delta) still rebuilds the state exactly.
                var rebuilt = SessionDelta.Between(s, denied.State).ApplyTo(s);
                Assert.Equal(denied.State.Events.ToArray(), rebuilt.Events.ToArray());
                Assert.Equal(denied.State.EventsDropped, rebuilt.EventsDropped);
                Assert.Equal(denied.State.Participants.OrderBy(p => p.Key).ToArray(), rebuilt.Participants.OrderBy(p => p.Key).ToArray());
                Assert.Equal(denied.State.Tickets.Count, rebuilt.Tickets.Count);
            }

            s = denied.State;
        }

        Assert.True(s.Participants.Count <= limits.MaxParticipantRecords, $"{s.Participants.Count} participants");
        Assert.True(s.Events.Count <= limits.MaxEvents, $"{s.Events.Count} events");
        Assert.Equal(2 + (2_000 * 2), s.LastSequence);
        Assert.Equal(s.LastSequence, s.EventsAfter(s.LastSequence - 1).Events.Single().Sequence);

        // Well under what one Azure Table entity holds (about 960 KiB of grain state).
        var bytes = Serializer.SerializeToArray(s).Length;
        Assert.True(bytes < 900 * 1024, $"{bytes} bytes");

        // The most recent denials are remembered: the last made-up guest cannot ask again.
        var last = Principal.AnonymousGuest($"{1_999:D6}{longest}@spam.example", "again");
        Assert.Equal(SessionReasons.AdmissionDenied, s.JoinAt(last).Refusal?.Reason);
    }
}
