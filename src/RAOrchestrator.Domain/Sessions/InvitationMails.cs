using System.Collections.Immutable;

namespace RAOrchestrator.Domain.Sessions;

/// <summary>
/// The invitation mail one InviteToSession call sends: keyed by the sequence of the call's first Invited event (Graph
/// answers a repeated key with the event it already made and mails nobody twice), addressed to every address that call
/// invited. A retried call finds its invitees already invited and sends the same mail again under the same key, so a
/// mail that failed after the invitations were stored goes out on the retry, and one that went out is not repeated.
/// </summary>
public readonly record struct InvitationMail(long Sequence, ImmutableArray<string> Attendees)
{
    /// <summary>The key Graph deduplicates the mail by.</summary>
    public string TransactionId(string sessionName) => $"{sessionName}/invited/{Sequence}";

    /// <summary>
    /// The mail of the call that invited <paramref name="key"/>; null when that person has no address or was invited
    /// when the session was scheduled (that mail went with the meeting itself).
    /// </summary>
    public static InvitationMail? Of(SessionState session, string key)
    {
        if (!session.Invitations.TryGetValue(key, out var invitation) || invitation.Invitee.Email is null)
        {
            return null;
        }

        // One call's events share its time and actor; scheduling appends Scheduled first, at the same time.
        var first = session.Events.FirstOrDefault(e => e.At == invitation.InvitedAt
            && (e.Kind == SessionEventKind.Scheduled || (e.Kind == SessionEventKind.Invited && e.Actor == invitation.InvitedBy)));
        if (first is null || first.Kind == SessionEventKind.Scheduled)
        {
            return null;
        }

        // The call's Invited events follow one another from the first, in the order the mail listed its addresses.
        var attendees = session.Events.Skip((int)(first.Sequence - session.EventsDropped - 1))
            .TakeWhile(e => e.Kind == SessionEventKind.Invited && e.At == invitation.InvitedAt && e.Actor == invitation.InvitedBy)
            .Select(e => session.Invitations[e.Subject!].Invitee.Email)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);
        return new InvitationMail(first.Sequence, [.. attendees]);
    }

    /// <summary>The mail of a call that has just added <paramref name="added"/> with its first event at <paramref name="firstSequence"/>.</summary>
    public static InvitationMail? ForAdded(long firstSequence, IEnumerable<Invitation> added)
    {
        ImmutableArray<string> attendees = [.. added.Select(i => i.Invitee.Email).OfType<string>().Distinct(StringComparer.Ordinal)];
        return attendees.IsEmpty ? null : new InvitationMail(firstSequence, attendees);
    }
}
