using System.Text;
using RAOrchestrator.Domain.Barriers;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Domain.Tenants;

/// <summary>
/// The PowerShell a tenant's Teams administrator runs for what Graph cannot set: the org-wide anonymous-join switch,
/// the organizers' meeting policy, the application access policy that lets the MSP app create online meetings, and
/// (with Microsoft Graph PowerShell) the Temporary Access Pass policy and the app's permissions for vendors' sign-in.
/// Each section is safe to run twice. Sections for checks that already passed are left out.
/// </summary>
public static class TenantRunbook
{
    public static string Generate(string tenantId, string tenantName, string? mspAppClientId, TenantSettings settings, ReadinessReport report)
    {
        var outstanding = report.Outstanding.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var script = new StringBuilder();
        script.Append("# RAOrchestrator runbook for tenant ").Append(tenantId).Append(" (").Append(OneLine(tenantName)).Append(")\n");
        script.Append("# Generated ").Append(report.CheckedAt.ToString("u")).Append(". Run as a Teams administrator of that tenant.\n");
        script.Append("#Requires -Modules MicrosoftTeams\n");
        script.Append("$ErrorActionPreference = 'Stop'\n");
        script.Append("Connect-MicrosoftTeams -TenantId ").Append(BarrierPowerShell.Quote(tenantId)).Append('\n');

        var sections = 0;
        if (outstanding.Contains(ReadinessRules.AnonymousJoin))
        {
            sections++;
            script.Append("\n# Allow anonymous users (out-of-tenant experts on Teams desktop) to join meetings, org-wide.\n");
            script.Append("Set-CsTeamsMeetingConfiguration -Identity Global -DisableAnonymousJoin $false\n");
        }

        if (outstanding.Contains(ReadinessRules.OrganizerAnonymousJoin) || outstanding.Contains(ReadinessRules.LobbyAdmission))
        {
            sections++;
            var autoAdmitted = settings.Meetings.AutoAdmittedUsers is null or LobbyScope.Everyone
                ? LobbyScope.Organization
                : settings.Meetings.AutoAdmittedUsers.Value;
            script.Append("\n# Organizers' meeting policy: anonymous users may join, and wait in the lobby until admitted.\n");
            script.Append("Set-CsTeamsMeetingPolicy -Identity Global -AllowAnonymousUsersToJoinMeeting $true -AutoAdmittedUsers ")
                .Append(BarrierPowerShell.Quote(LobbyPolicy.AutoAdmittedUsersName(autoAdmitted))).Append('\n');
        }

        if (outstanding.Contains(ReadinessRules.ApplicationAccessPolicy) && mspAppClientId is not null)
        {
            sections++;
            var policy = BarrierPowerShell.Quote("RAOrchestrator-" + mspAppClientId[..8]);
            script.Append("\n# Let the MSP app create online meetings for the organizers (takes effect within 30 minutes).\n");
            script.Append("if (-not (Get-CsApplicationAccessPolicy -Identity ").Append(policy).Append(" -ErrorAction SilentlyContinue)) {\n");
            script.Append("    New-CsApplicationAccessPolicy -Identity ").Append(policy).Append(" -AppIds ").Append(BarrierPowerShell.Quote(mspAppClientId))
                .Append(" -Description 'Remote Assist sessions scheduled by RAOrchestrator'\n");
            script.Append("}\n");
            script.Append("Grant-CsApplicationAccessPolicy -PolicyName ").Append(policy).Append(" -Global\n");
        }

        if (TemporaryAccessPassRunbook.Append(script, tenantId, mspAppClientId, report, outstanding))
        {
            sections++;
        }

        if (sections == 0)
        {
            script.Append("\n# Nothing to do: every prerequisite this runbook covers has passed.\n");
        }

        return script.ToString();
    }

    private static string OneLine(string value) => value.Replace('\r', ' ').Replace('\n', ' ');
}
