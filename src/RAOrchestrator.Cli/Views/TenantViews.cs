using RAOrchestrator.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace RAOrchestrator.Cli.Views;

public static class TenantViews
{
    public static IRenderable List(IReadOnlyCollection<Tenant> tenants)
    {
        var table = Tables.Create("Tenant", "Display name", "State", "Blocking checks failed", "Updated");
        foreach (var t in tenants)
        {
            var failing = t.Readiness?.Checks.Count(c => c.Blocking && c.Result != ReadinessReport.Types.Result.Passed) ?? 0;
            table.Row(t.Name, t.DisplayName, Tables.Words(t.State), failing.ToString(), Tables.Time(t.UpdateTime));
        }

        table.Caption(new TableTitle($"{tenants.Count} tenant{(tenants.Count == 1 ? string.Empty : "s")}"));
        return table;
    }

    public static IRenderable Details(Tenant t)
    {
        var m = t.MeetingSettings ?? new MeetingSettings();
        var details = Tables.Details(
            ("Name", t.Name),
            ("Display name", t.DisplayName),
            ("State", Tables.Words(t.State)),
            ("Operation", t.Operation),
            ("Verified domains", string.Join(", ", t.VerifiedDomains)),
            ("Anonymous join", Tables.Words(m.AnonymousJoin)),
            ("Organizer anonymous join", Tables.Words(m.OrganizerAnonymousJoin)),
            ("Auto-admitted users", Tables.Words(m.AutoAdmittedUsers)),
            ("Lobby bypass", Tables.Words(m.LobbyBypass)),
            ("External access", string.Join(", ", t.ExternalAccessAllowedTenants)),
            ("Mail sender", t.MailSender),
            ("Approval link", t.ApprovalUri),
            ("Approved by", t.OwnershipHistory.LastOrDefault(e => e.Kind == OwnershipEvent.Types.Kind.Approved) is { } approved
                ? $"{(approved.AdminUserPrincipalName.Length > 0 ? approved.AdminUserPrincipalName : "operator pre-approval")}, {Tables.Time(approved.Time)}"
                : string.Empty),
            ("Created", Tables.Time(t.CreateTime)),
            ("Updated", Tables.Time(t.UpdateTime)),
            ("Etag", t.Etag));
        if (t.Readiness is null)
        {
            return details;
        }

        var checks = Tables.Create("Check", "Result", "Blocking", "Reason", "Remedy");
        foreach (var c in t.Readiness.Checks)
        {
            checks.Row(c.Id, Tables.Words(c.Result), c.Blocking ? "yes" : "no", c.Reason, c.Remedy);
        }

        checks.Caption(new TableTitle(t.Readiness.Ready ? "ready" : "not ready: see the remedies (raorch tenants runbook <tenant> for the Teams settings)"));
        return new Rows(details, checks);
    }
}
