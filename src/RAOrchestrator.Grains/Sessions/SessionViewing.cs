using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Grains.Sessions;

/// <summary>The views <see cref="ISessionGrain"/> answers, built from the session's state: what the API shows, nothing secret.</summary>
internal static class SessionViewing
{
    public static SessionView Of(SessionState s, long version, IReadOnlyDictionary<string, string> links, bool withTimeline) => new(
        s.Name,
        Of(s.Organizer),
        s.Subject,
        s.Start,
        s.End,
        s.Status,
        s.Lobby,
        [.. s.Invitations.Values.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => Of(i, links))],
        [.. s.DelegatedAdmitterUserIds],
        [.. s.Participants.Values.OrderBy(p => p.RequestedAt).ThenBy(p => p.Id, StringComparer.Ordinal).Select(p => Of(s, p))],
        s.LastSequence,
        s.CloseReason,
        s.CreatedAt,
        s.ClosedAt,
        s.UpdatedAt,
        version,
        withTimeline ? [.. s.Events] : null);

    public static ParticipantView Of(SessionState s, Participant p) => new(
        ParticipantNames.Of(s.Name, p.Id),
        p.Id,
        Of(p.Principal),
        p.Client,
        p.Status,
        p.StatusReason,
        p.DecidedBy,
        p.Invited,
        p.InvitationVerified,
        p.RequestedAt,
        p.AdmittedAt,
        p.LobbyDeadline(s.Lobby));

    public static InvitationView Of(Invitation i, IReadOnlyDictionary<string, string> links) =>
        new(i.Key, Of(i.Invitee), i.InvitedAt, links.GetValueOrDefault(i.Key));

    public static PersonView Of(Principal p) => new(p.Kind, p.TenantId, p.UserId, p.Email, p.DisplayName);

    /// <summary>
    /// The participant a request names: by id, or by the last segment of its resource name
    /// (<see cref="ParticipantNames"/>); unchanged when it names nobody, so the rules answer PARTICIPANT_NOT_FOUND.
    /// </summary>
    public static string ParticipantId(SessionState s, string idOrSegment) =>
        s.Participants.ContainsKey(idOrSegment) || !ParticipantNames.IsSegment(idOrSegment)
            ? idOrSegment
            : s.Participants.Keys.FirstOrDefault(k => ParticipantNames.Segment(k) == idOrSegment) ?? idOrSegment;
}
