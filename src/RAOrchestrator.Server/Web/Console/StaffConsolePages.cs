using System.Globalization;
using System.Text;
using RAOrchestrator.Server.Security;

namespace RAOrchestrator.Server.Web.Console;

/// <summary>What a managing partner's staff member reads on the lobby console: the lobbies of every organization the partner manages.</summary>
public static class StaffConsolePages
{
    /// <summary>The staff's part of the console's sign-in page.</summary>
    public const string SignIn = $"""
        <section aria-labelledby="staff-heading">
        <h2 id="staff-heading">I am the managing partner's staff</h2>
        <p>Sign in with your account at your company's partner sign-in to watch and run the lobbies of every organization your company manages.</p>
        <form method="post" action="{WebLinks.StaffConsolePrefix}/sign-in">
          <div class="actions"><button type="submit" class="secondary">Sign in as partner staff</button></div>
        </form>
        <p class="note">Already signed in as partner staff? <a href="{WebLinks.StaffConsolePrefix}">Open your lobbies</a>.</p>
        </section>
        """;

    public static string Console(StaffUser staff, IReadOnlyList<StaffTenantSessions> tenants, DateTimeOffset now)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <h1>Lobby console</h1>
            <form method="post" action="{WebLinks.StaffConsolePrefix}/sign-out" class="actions">
              <p>Signed in as <strong>{Html.E(staff.DisplayName)}</strong> ({Html.E(staff.UserPrincipalName)}), staff of <strong>{Html.E(staff.PartnerId)}</strong>.</p>
              <input type="hidden" name="csrf" value="{Html.E(staff.FormToken)}">
              <button type="submit" class="secondary">Sign out</button>
            </form>
            <p class="note" id="staff-role">{Html.E(staff.Role == PartnerRole.Write
                ? "You can admit, deny and remove people in the sessions of every organization your company manages."
                : ReadOnly)}</p>
            """);
        if (tenants.Count == 0)
        {
            html.Append("<p>No organization your company manages has upcoming or live sessions.</p>");
        }

        foreach (var tenant in tenants)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2 class=\"tenant\">{Html.E(tenant.DisplayName)} <span class=\"note\">({Html.E(tenant.TenantId)})</span></h2>");
            foreach (var session in tenant.Sessions)
            {
                html.Append(Lobby(staff, tenant.TenantId, session, now));
            }
        }

        return html.ToString();
    }

    /// <summary>One session's lobby as the organizer's console draws it, its feed and forms on the staff console's paths.</summary>
    public static string Lobby(StaffUser staff, string tenantId, ConsoleLobby lobby, DateTimeOffset now) =>
        ConsolePages.Lobby(lobby, new ConsoleUser(tenantId, staff.UserId, staff.UserPrincipalName, staff.DisplayName, staff.FormToken), now,
            StaffSessions.PathOf(tenantId, lobby.Session));

    /// <summary>What a staff member who may only watch is told, on the page and when it tries to act anyway.</summary>
    public const string ReadOnly = $"Your role ({PartnerRoleNames.Read}) lets you watch these lobbies; admitting, denying and removing people need the {PartnerRoleNames.Write} role. Ask your partner's administrator for it.";
}
