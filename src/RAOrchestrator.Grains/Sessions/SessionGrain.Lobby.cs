using System.Collections.Immutable;
using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Domain.Barriers;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Requests;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Grains.Sessions;

/// <summary>Invitations and the lobby: each call is one step of the rules, committed before it answers.</summary>
public sealed partial class SessionGrain
{
    public async Task<InviteOutcome> InviteAsync(string partnerId, PersonRef? actor, IReadOnlyList<PersonRef> invitees, string requestId = "")
    {
        var session = await RequireAsync(partnerId);
        var key = RequestKey.Of(partnerId, requestId);
        if (session.Processed(key, "invite") is { } earlier)
        {
            // A repeat answers what the first call did, whatever happened since; its mail goes out again under the same
            // key (Graph mails nobody twice), in case the first call failed after storing the invitations.
            var added = earlier.Added.Select(k => session.Invitations[k]).ToImmutableArray();
            if (InvitationMail.ForAdded(earlier.FirstSequence, added) is { } repeated)
            {
                await SendInvitationMailAsync(session, repeated);
            }

            var already = earlier.AlreadyInvited(invitees.Select(p => Facts.Unresolved(p).Key));
            return Invited(added, already);
        }

        var settings = await SettingsAsync(partnerId);
        var people = await ResolveAllAsync(invitees, SessionFields.Invitees);
        var inputs = await Facts.InputsAsync(settings, session.Organizer, people, BarrierActivity.InviteToMeeting);
        var step = session.Invite(Facts.Actor(partnerId, actor), people, inputs, time.GetUtcNow());
        var firstSequence = step.Events.IsEmpty ? 0 : step.Events[0].Sequence;
        var decision = await CommitAsync(step.Remembering(key, d => new ProcessedSessionRequest(key!, "invite", [.. d.Added.Select(i => i.Key)], firstSequence)), "invite");

        // The new invitees get their call's invitation mail; invitees a retried call finds already invited get theirs
        // again under the same key (Graph answers a repeated key with the event it made), so a mail that failed after
        // the invitations were stored goes out now and one that went out is not repeated.
        var s = Session!;
        var mails = decision.AlreadyInvited.Select(key => InvitationMail.Of(s, key))
            .Prepend(step.Events.IsEmpty ? null : InvitationMail.ForAdded(step.Events[0].Sequence, decision.Added))
            .OfType<InvitationMail>()
            .DistinctBy(m => m.Sequence);
        foreach (var mail in mails)
        {
            await SendInvitationMailAsync(s, mail);
        }

        return Invited(decision.Added, decision.AlreadyInvited);
    }

    private InviteOutcome Invited(IReadOnlyList<Invitation> added, IReadOnlyList<string> already)
    {
        var links = Links(added.Select(i => i.Invitee));
        return new InviteOutcome([.. added.Select(i => SessionViewing.Of(i, links))], already);
    }

    private Task SendInvitationMailAsync(SessionState s, InvitationMail mail) =>
        directory.SendInvitationAsync(TenantId, new MeetingRequest(
            s.Organizer.UserId!, s.Subject, s.Start, s.End, mail.Attendees, LobbyScope.Everyone, false, Name,
            GateLinks.InvitationHtml(options.Value.GateUrl, Name, s.Subject, s.Organizer.DisplayName, s.Start, s.End)),
            mail.TransactionId(Name));

    public async Task<ParticipantOutcome> JoinAsync(string partnerId, PersonRef who, ClientKind client, string? invitationProof)
    {
        var session = await RequireAsync(partnerId);
        var unresolved = Facts.Unresolved(who);
        var existing = session.Find(unresolved.Key);
        if (existing is { Status: ParticipantStatus.Admitted })
        {
            // Asking again once admitted: a fresh ticket (bounded), since the first one may be lost or expired; a guest
            // proves it is the one admitted as it did then.
            var ticket = await CommitAsync(session.Rejoin(new JoinRequest(unresolved, client, invitationProof), SessionKey(), time.GetUtcNow(), CryptoSessionRandom.Instance), "ticket");
            return Outcome(existing, ticket);
        }

        var settings = await SettingsAsync(partnerId);
        // A client the rules refuse anyway is refused without a directory lookup.
        var principal = ClientRules.Check(client, unresolved.Kind) is null ? await Facts.ResolveAsync(who, SessionFields.Who) : unresolved;
        var inputs = await Facts.InputsAsync(settings, session.Organizer, [principal], BarrierActivity.Call, session.Admitted.Select(p => p.Principal));
        var step = session.Join(new JoinRequest(principal, client, invitationProof), inputs, SessionKey(), time.GetUtcNow(), CryptoSessionRandom.Instance);
        var decision = await CommitAsync(step, "join");
        return Outcome(decision.Participant, decision.Ticket);
    }

    public async Task<ParticipantOutcome> AdmitAsync(string partnerId, PersonRef? actor, string participantId)
    {
        var session = await RequireAsync(partnerId);
        participantId = SessionViewing.ParticipantId(session, participantId);
        var verdicts = await AdmissionBarriersAsync(partnerId, session, session.Find(participantId) is { } waiting ? [waiting] : []);
        var change = await CommitAsync(session.Admit(Facts.Actor(partnerId, actor), participantId, verdicts, time.GetUtcNow(), CryptoSessionRandom.Instance), "admit");
        return Outcome(change.Participant, change.Ticket);
    }

    public async Task<IReadOnlyList<AdmissionCheck>> PreviewAdmissionsAsync(string partnerId, PersonRef? actor)
    {
        var session = await RequireAsync(partnerId);
        var verdicts = await AdmissionBarriersAsync(partnerId, session, session.LobbyQueue);
        return session.PreviewAdmissions(Facts.Actor(partnerId, actor), verdicts);
    }

    /// <summary>
    /// The barrier verdicts admission reads, for AdmitAsync and PreviewAdmissionsAsync alike: barriers are checked again
    /// at admission, each account waiting meets the organizer and everyone already in (anonymous guests are in no directory).
    /// </summary>
    private async Task<BarrierVerdicts> AdmissionBarriersAsync(string partnerId, SessionState session, IEnumerable<Participant> waiting)
    {
        var accounts = waiting.Where(p => p.Principal.IsAccount).Select(p => p.Principal).ToList();
        if (accounts.Count == 0)
        {
            return BarrierVerdicts.None;
        }

        var settings = await SettingsAsync(partnerId);
        return (await Facts.InputsAsync(settings, session.Organizer, accounts, BarrierActivity.Call, session.Admitted.Select(p => p.Principal))).Barriers;
    }

    public Task<ParticipantOutcome> DenyAsync(string partnerId, PersonRef? actor, string participantId) =>
        DecideAsync(partnerId, participantId, "deny", (s, id) => s.Deny(Facts.Actor(partnerId, actor), id, time.GetUtcNow()));

    public Task<ParticipantOutcome> RemoveAsync(string partnerId, PersonRef? actor, string participantId) =>
        DecideAsync(partnerId, participantId, "remove", (s, id) => s.Remove(Facts.Actor(partnerId, actor), id, time.GetUtcNow()));

    public async Task<ParticipantOutcome> LeaveAsync(string partnerId, string participantId)
    {
        var session = await RequireAsync(partnerId);
        var change = await CommitAsync(session.Leave(SessionViewing.ParticipantId(session, participantId), time.GetUtcNow()), "leave");
        return Outcome(change.Participant, null);
    }

    /// <summary>Denies or removes; the meeting whose URL the participant knew is replaced before the answer.</summary>
    private async Task<ParticipantOutcome> DecideAsync(string partnerId, string participantId, string action, Func<SessionState, string, SessionStep<ParticipantChange>> decide)
    {
        var session = await RequireAsync(partnerId);
        var change = await CommitAsync(decide(session, SessionViewing.ParticipantId(session, participantId)), action);
        await SettleMeetingAsync();
        return Outcome(change.Participant, null);
    }

    /// <summary>The participant as the session now shows it, with the ticket the call issued.</summary>
    private ParticipantOutcome Outcome(Participant participant, JoinTicket? ticket) =>
        new(SessionViewing.Of(Session!, Session!.Find(participant.Id) ?? participant), ticket);

    public async Task<TicketRedemption> RedeemAsync(string partnerId, string token)
    {
        await RequireAsync(partnerId);
        await SettleMeetingAsync(); // a replacement still owed is made before anyone learns a URL again
        return await CommitAsync(Session!.RedeemTicket(token, time.GetUtcNow()), "redeem");
    }

    public async Task<TicketRedemption> EnterAsync(string partnerId, string participantId)
    {
        var session = await RequireAsync(partnerId);
        await SettleMeetingAsync(); // as for a redemption: a replacement still owed is made first
        return await CommitAsync(Session!.Enter(SessionViewing.ParticipantId(session, participantId), time.GetUtcNow(), CryptoSessionRandom.Instance), "enter");
    }

    public Task<SessionView> EndAsync(string partnerId, PersonRef? actor, string requestId = "") =>
        CloseAsync(partnerId, requestId, "end", s => s.EndSession(Facts.Actor(partnerId, actor), time.GetUtcNow()));

    public Task<SessionView> CancelAsync(string partnerId, PersonRef? actor, string requestId = "") =>
        CloseAsync(partnerId, requestId, "cancel", s => s.Cancel(Facts.Actor(partnerId, actor), time.GetUtcNow()));

    private async Task<SessionView> CloseAsync(string partnerId, string requestId, string action, Func<SessionState, SessionStep<CloseDecision>> close)
    {
        var session = await RequireAsync(partnerId);
        var key = RequestKey.Of(partnerId, requestId);
        if (session.Processed(key, action) is null)
        {
            await CommitAsync(close(session).Remembering(key, _ => new ProcessedSessionRequest(key!, action, [], 0)), action);
        }

        await SettleMeetingAsync(); // the meeting of a closed session is deleted, so no URL handed out works any more
        return View();
    }
}
