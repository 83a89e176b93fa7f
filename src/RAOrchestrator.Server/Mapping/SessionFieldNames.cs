using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Server.Mapping;

/// <summary>
/// The one place the session rules' field names (<see cref="SessionFields"/>) become the API's: a refusal from the
/// session grain names <c>Invitees[1]</c> or <c>Who.DisplayName</c>; the caller reads the field of the request it sent,
/// <c>session.invitations[1].person</c> in CreateSession, <c>person.anonymous_guest.display_name</c> in JoinSession.
/// </summary>
public static class SessionFieldNames
{
    private static readonly Dictionary<string, string> Roots = new(StringComparer.Ordinal)
    {
        [SessionFields.SessionName] = "name",
        [SessionFields.Subject] = "subject",
        [SessionFields.Start] = "start_time",
        [SessionFields.End] = "end_time",
        [SessionFields.Lobby] = "lobby",
        [SessionFields.Invitees] = "invitees",
        [SessionFields.DelegatedAdmitters] = "delegated_admitters",
        [SessionFields.Organizer] = "organizer",
        [SessionFields.Who] = "person",
        [nameof(SessionState.Meeting)] = "meeting",
    };

    // A person's members: what a caller gives of an anonymous guest, the person itself for what the directory answered.
    private static readonly Dictionary<string, string> Members = new(StringComparer.Ordinal)
    {
        [nameof(Principal.DisplayName)] = "anonymous_guest.display_name",
        [nameof(Principal.Email)] = "anonymous_guest.email",
        [nameof(Principal.UserId)] = string.Empty,
        [nameof(Principal.Kind)] = string.Empty,
        [nameof(OnlineMeeting.JoinUrl)] = "join_url",
    };

    /// <summary>CreateSession: under <c>session.</c>, an invitee as <c>session.invitations[i].person</c>.</summary>
    public static OrchestratorException InCreateSession(OrchestratorException ex) => Renamed(ex, field => "session." + ToProto(field, inSession: true));

    /// <summary>InviteToSession and JoinSession: the request's own fields (<c>invitees[i]</c>, <c>person</c>).</summary>
    public static OrchestratorException InRequest(OrchestratorException ex) => Renamed(ex, field => ToProto(field, inSession: false));

    /// <summary>
    /// A domain field name (<c>Invitees[2].Email</c>) as the proto spells it (<c>invitees[2].anonymous_guest.email</c>);
    /// inside a <c>Session</c> message an invitee is <c>invitations[2].person</c>.
    /// </summary>
    public static string ToProto(string field, bool inSession)
    {
        var parts = field.Split('.');
        var bracket = parts[0].IndexOf('[', StringComparison.Ordinal);
        var (root, index) = bracket < 0 ? (parts[0], string.Empty) : (parts[0][..bracket], parts[0][bracket..]);
        var names = new List<string>
        {
            inSession && root == SessionFields.Invitees ? $"invitations{index}.person" : (Roots.GetValueOrDefault(root) ?? root) + index,
        };
        names.AddRange(parts.Skip(1).Select(p => Members.GetValueOrDefault(p) ?? p).Where(p => p.Length > 0));
        return string.Join('.', names);
    }

    private static OrchestratorException Renamed(OrchestratorException ex, Func<string, string> rename) =>
        ex.Violations.Count == 0
            ? ex
            : new OrchestratorException(ex.Kind, ex.Reason, ex.Message, [.. ex.Violations.Select(v => v with { Field = rename(v.Field) })])
            {
                RetryAfter = ex.RetryAfter,
                Metadata = ex.Metadata,
            };
}
