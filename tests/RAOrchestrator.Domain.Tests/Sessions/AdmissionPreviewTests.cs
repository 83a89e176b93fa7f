using RAOrchestrator.Domain.Sessions;
using static RAOrchestrator.Domain.Tests.Sessions.SessionFixture;

namespace RAOrchestrator.Domain.Tests.Sessions;

/// <summary>
/// The lobby console shows, before the click, whether Admit would refuse and why: the preview is the admission rule
/// itself, so on the same facts it and Admit never disagree.
/// </summary>
public sealed class AdmissionPreviewTests
{
    private static readonly Principal[] People = [Expert, Stranger, Colleague, AbcGuest, FabrikamUser, Supervisor];

    private static readonly SessionActor[] Actors =
    [
        Actor(Technician), Actor(Supervisor), Actor(Colleague), Actor(Expert), Actor(FabrikamUser), SessionActor.Partner("contoso-msp"),
    ];

    [Fact]
    public void A_barrier_against_a_waiting_member_is_known_before_the_click_with_the_sentence_admit_answers()
    {
        var s = Scheduled(admitters: [Supervisor], lobby: Lobby(LobbyScope.Organizer)).JoinAt(Expert).State.JoinAt(Colleague).State;
        var barriers = BarrierVerdicts.Blocking(Colleague.Key, "Finance may not meet vendors (policy finance-blocks-vendors)");

        var preview = s.PreviewAdmissions(Actor(Supervisor), barriers);

        Assert.Equal([Expert.Key, Colleague.Key], preview.Select(c => c.ParticipantId));
        Assert.True(preview[0].Admissible);
        var refusal = preview[1].Refusal!;
        Assert.Equal(SessionReasons.InformationBarrier, refusal.Reason);
        Assert.Contains("policy finance-blocks-vendors", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(refusal, s.Admit(Actor(Supervisor), Colleague.Key, barriers, Start, NextRandom()).Refusal);
        Assert.Same(s, s.Admit(Actor(Supervisor), Colleague.Key, barriers, Start, NextRandom()).State);
    }

    [Fact]
    public void A_non_admitter_and_an_anonymous_actor_are_refused_in_the_preview_as_admit_refuses_them()
    {
        var s = Scheduled().JoinAt(Expert).State;

        Assert.Equal(SessionReasons.NotOrganizerSide, s.PreviewAdmissions(Actor(Colleague), BarrierVerdicts.None).Single().Refusal?.Reason);
        Assert.Equal(SessionReasons.AnonymousCannotAdmit, s.PreviewAdmissions(Actor(Stranger), BarrierVerdicts.None).Single().Refusal?.Reason);
    }

    [Fact]
    public void A_closed_session_has_nobody_left_to_preview_and_admit_names_why()
    {
        var s = Scheduled().JoinAt(Expert).State;
        var cancelled = s.Cancel(Actor(Technician), Start).State;

        Assert.Empty(cancelled.PreviewAdmissions(Actor(Technician), BarrierVerdicts.None)); // nobody waits in a closed session
        Assert.Equal(SessionReasons.SessionCancelled, cancelled.WhyNotAdmit(Actor(Technician), Expert.Key, BarrierVerdicts.None)?.Reason);
    }

    /// <summary>
    /// Property: for many random sessions (who joined, who was admitted, denied or left, whether it closed), actors and
    /// barrier verdicts, the preview lists exactly the lobby, longest waiting first, and for every participant (and an
    /// unknown id) the refusal the preview gives is the refusal Admit answers, and a preview without one means Admit admits.
    /// </summary>
    [Fact]
    public void On_any_session_actor_and_barriers_the_preview_and_admit_agree()
    {
        var random = new Random(19);
        for (var run = 0; run < 500; run++)
        {
            var s = RandomSession(random);
            var barriers = People.Where(_ => random.Next(3) == 0)
                .Aggregate(BarrierVerdicts.None, (v, p) => v.Merge(BarrierVerdicts.Blocking(p.Key, $"blocked {p.DisplayName}")));
            var actor = Actors[random.Next(Actors.Length)];

            var preview = s.PreviewAdmissions(actor, barriers);

            Assert.Equal(s.LobbyQueue.Select(p => p.Id), preview.Select(c => c.ParticipantId));
            foreach (var id in s.Participants.Keys.Append("user:nobody/none"))
            {
                var admit = s.Admit(actor, id, barriers, Start.AddMinutes(30), NextRandom());
                var why = s.WhyNotAdmit(actor, id, barriers);
                Assert.Equal(why, admit.Refusal);
                Assert.Equal(why is null, admit.Succeeded);
                if (preview.FirstOrDefault(c => c.ParticipantId == id) is { } check)
                {
                    Assert.Equal(check.Refusal, admit.Refusal);
                    Assert.Equal(check.Admissible, admit.Succeeded && admit.Value!.Participant.Status == ParticipantStatus.Admitted);
                }
            }
        }
    }

    private static SessionState RandomSession(Random random)
    {
        var s = Scheduled(admitters: [Supervisor], lobby: Lobby(LobbyScope.Organizer));
        var at = Start;
        foreach (var person in People.Where(_ => random.Next(4) != 0))
        {
            at = at.AddSeconds(1);
            if (s.JoinAt(person, at) is { Succeeded: true } joined)
            {
                s = joined.State;
            }

            var step = random.Next(5) switch
            {
                0 => s.Admit(Actor(Technician), person.Key, BarrierVerdicts.None, at, NextRandom()).State,
                1 => s.Deny(Actor(Technician), person.Key, at).State,
                2 => s.Leave(person.Key, at).State,
                _ => s,
            };
            s = step;
        }

        return random.Next(6) switch
        {
            0 => s.Cancel(Actor(Technician), at).State,
            1 => s.EndSession(Actor(Technician), at).State,
            _ => s,
        };
    }
}
