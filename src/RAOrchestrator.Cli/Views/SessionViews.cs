using RAOrchestrator.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace RAOrchestrator.Cli.Views;

public static class SessionViews
{
    public static IRenderable List(IReadOnlyCollection<Session> sessions)
    {
        var table = Tables.Create("Session", "Subject", "State", "Start", "End", "In lobby", "Admitted");
        foreach (var s in sessions)
        {
            table.Row(s.Name, s.Subject, Tables.Words(s.State), Tables.Time(s.StartTime), Tables.Time(s.EndTime),
                s.Participants.Count(p => p.State == Participant.Types.State.InLobby).ToString(),
                s.Participants.Count(p => p.State == Participant.Types.State.Admitted).ToString());
        }

        table.Caption(new TableTitle($"{sessions.Count} session{(sessions.Count == 1 ? string.Empty : "s")}"));
        return table;
    }

    public static IRenderable Details(Session s)
    {
        var parts = new List<IRenderable>
        {
            Tables.Details(
                ("Name", s.Name),
                ("Subject", s.Subject),
                ("State", Tables.Words(s.State)),
                ("Organizer", Person(s.Organizer)),
                ("Start", Tables.Time(s.StartTime)),
                ("End", Tables.Time(s.EndTime)),
                ("Lobby", s.Lobby is null ? string.Empty : $"{Tables.Words(s.Lobby.Scope)}, wait at most {s.Lobby.MaxWait?.ToTimeSpan().ToString() ?? "15 min"}"),
                ("Invited", string.Join(", ", s.Invitations.Select(i => i.Id))),
                ("Closed", s.CloseReason.Length == 0 ? string.Empty : $"{Tables.Time(s.CloseTime)} ({s.CloseReason})")),
        };
        var participants = Tables.Create("Participant", "Name", "Kind", "Client", "State", "Why", "Decided by");
        foreach (var p in s.Participants)
        {
            participants.Row(p.Id, p.DisplayName, Tables.Words(p.Kind), Tables.Words(p.Client), Tables.Words(p.State), p.StateReason, p.DecidedBy);
        }

        participants.Caption(new TableTitle("admit someone waiting: raorch sessions admit <session> <participant>"));
        parts.Add(participants);
        if (s.Events.Count > 0)
        {
            var events = Tables.Create("#", "Time", "Event", "Subject", "Actor", "Reason");
            foreach (var e in s.Events)
            {
                events.Row(e.Sequence.ToString(), Tables.Time(e.Time), Tables.Words(e.Kind), e.Subject, e.Actor, e.Reason);
            }

            parts.Add(events);
        }

        return new Rows(parts);
    }

    /// <summary>One event as one line, for <c>sessions watch</c>.</summary>
    public static string Line(SessionEvent e) =>
        string.Join("  ", new[] { $"#{e.Sequence}", Tables.Time(e.Time), Tables.Words(e.Kind), e.Subject, e.Actor.Length > 0 ? "by " + e.Actor : string.Empty, e.Reason }.Where(p => p.Length > 0));

    public static string Person(Person? p) => p?.IdentityCase switch
    {
        Contracts.V1.Person.IdentityOneofCase.TenantUser => "user " + p.TenantUser.UserId,
        Contracts.V1.Person.IdentityOneofCase.FederatedUser => $"user {p.FederatedUser.UserId} of tenant {p.FederatedUser.TenantId}",
        Contracts.V1.Person.IdentityOneofCase.AnonymousGuest => $"guest {p.AnonymousGuest.DisplayName} <{p.AnonymousGuest.Email}>",
        _ => string.Empty,
    };
}
