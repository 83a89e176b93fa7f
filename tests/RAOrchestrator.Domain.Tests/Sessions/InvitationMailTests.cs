using RAOrchestrator.Domain.Sessions;
using static RAOrchestrator.Domain.Tests.Sessions.SessionFixture;

namespace RAOrchestrator.Domain.Tests.Sessions;

public sealed class InvitationMailTests
{
    private static readonly Principal Second = Principal.AnonymousGuest("second@oem.example", "Second Expert");
    private static readonly Principal Third = Principal.AnonymousGuest("third@oem.example", "Third Expert");

    [Fact]
    public void Someone_invited_when_the_session_was_scheduled_has_no_mail_of_its_own_to_send_again() =>
        Assert.Null(InvitationMail.Of(Scheduled(), Expert.Key));

    [Fact]
    public void Someone_invited_later_finds_the_mail_of_that_call_with_its_key_and_everyone_that_call_invited()
    {
        var step = Scheduled().Invite(Actor(Technician), [Second, Colleague, Third], Inputs(), Now.AddMinutes(5));
        var sent = InvitationMail.ForAdded(step.Events[0].Sequence, step.Value!.Added);

        var found = InvitationMail.Of(step.State, Third.Key);

        Assert.NotNull(found);
        Assert.Equal(sent!.Value.Sequence, found.Value.Sequence);
        Assert.Equal(["second@oem.example", "third@oem.example"], found.Value.Attendees.ToArray());
        Assert.Equal(sent.Value.Attendees.ToArray(), found.Value.Attendees.ToArray());
        Assert.Equal($"{SessionName}/invited/{step.Events[0].Sequence}", found.Value.TransactionId(SessionName));
    }

    [Fact]
    public void Two_later_calls_keep_their_own_mails()
    {
        var first = Scheduled().Invite(Actor(Technician), [Second], Inputs(), Now.AddMinutes(5));
        var second = first.State.Invite(Actor(Technician), [Third], Inputs(), Now.AddMinutes(6));

        Assert.Equal(["second@oem.example"], InvitationMail.Of(second.State, Second.Key)!.Value.Attendees.ToArray());
        Assert.Equal(["third@oem.example"], InvitationMail.Of(second.State, Third.Key)!.Value.Attendees.ToArray());
        Assert.Equal(second.Events[0].Sequence, InvitationMail.Of(second.State, Third.Key)!.Value.Sequence);
    }

    [Fact]
    public void An_invitee_without_an_address_has_no_mail() =>
        Assert.Null(InvitationMail.Of(Scheduled().Invite(Actor(Technician), [Colleague], Inputs(), Now.AddMinutes(5)).State, Colleague.Key));
}
