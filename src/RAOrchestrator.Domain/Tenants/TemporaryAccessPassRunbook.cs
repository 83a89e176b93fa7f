using System.Text;
using RAOrchestrator.Domain.Barriers;
using RAOrchestrator.Domain.SignInPasses;

namespace RAOrchestrator.Domain.Tenants;

/// <summary>
/// The runbook's section <see cref="PassRequestRules.RunbookSection"/>, written only when a sign-in check says it is
/// needed: enables the Temporary Access Pass policy for all users (Microsoft Graph PowerShell) and grants the MSP app
/// the application permissions it lacks. Safe to run twice: the policy update is a PATCH and a granted permission is
/// skipped.
/// </summary>
public static class TemporaryAccessPassRunbook
{
    private const string GraphAppId = "00000003-0000-0000-c000-000000000000";

    /// <summary>Appends the section when needed; true when it did.</summary>
    public static bool Append(StringBuilder script, string tenantId, string? mspAppClientId, ReadinessReport report, IReadOnlySet<string> outstanding)
    {
        var policy = report.Checks.FirstOrDefault(c => c.Id == SignInReadinessRules.PassPolicy && outstanding.Contains(c.Id));
        var enable = policy?.Result == CheckResult.Failed;
        var grants = new List<string>();
        if (policy?.Reason == SignInReadinessRules.PermissionDenied)
        {
            grants.Add(SignInReadinessRules.ReadPolicyPermission);
        }

        grants.AddRange(report.Checks.Where(c => c.Result == CheckResult.Failed && outstanding.Contains(c.Id)).Select(c => c.Id switch
        {
            SignInReadinessRules.PassPermission => SignInReadinessRules.WritePassesPermission,
            SignInReadinessRules.MailPermission => SignInReadinessRules.SendMailPermission,
            _ => null,
        }).OfType<string>());
        if (mspAppClientId is null)
        {
            grants.Clear();
        }

        if (!enable && grants.Count == 0)
        {
            return false;
        }

        script.Append("\n# ").Append(PassRequestRules.RunbookSection).Append('\n');
        script.Append("# Vendors' experts sign in to service accounts with a Temporary Access Pass. Needs Microsoft Graph PowerShell\n");
        script.Append("# (Install-Module Microsoft.Graph) and a Global Administrator (or an Authentication Policy and a Privileged Role Administrator).\n");
        script.Append("Import-Module Microsoft.Graph.Identity.SignIns, Microsoft.Graph.Applications\n");
        script.Append("Connect-MgGraph -TenantId ").Append(BarrierPowerShell.Quote(tenantId))
            .Append(" -Scopes 'Policy.ReadWrite.AuthenticationMethod', 'Application.Read.All', 'AppRoleAssignment.ReadWrite.All' -NoWelcome\n");
        if (enable)
        {
            script.Append("Update-MgPolicyAuthenticationMethodPolicyAuthenticationConfiguration -AuthenticationMethodConfigurationId 'TemporaryAccessPass' -BodyParameter @{\n");
            script.Append("    '@odata.type' = '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration'\n");
            script.Append("    state = 'enabled'\n");
            script.Append("    includeTargets = @(@{ targetType = 'group'; id = 'all_users'; isRegistrationRequired = $false })\n");
            script.Append("}\n");
        }

        if (grants.Count > 0)
        {
            script.Append("$graph = Get-MgServicePrincipal -Filter \"appId eq '").Append(GraphAppId).Append("'\"\n");
            script.Append("$app = Get-MgServicePrincipal -Filter \"appId eq '").Append(mspAppClientId).Append("'\"\n");
            script.Append("$granted = (Get-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $app.Id -All | Where-Object ResourceId -eq $graph.Id).AppRoleId\n");
            script.Append("foreach ($permission in @(").Append(string.Join(", ", grants.Select(BarrierPowerShell.Quote))).Append(")) {\n");
            script.Append("    $role = $graph.AppRoles | Where-Object { $_.Value -eq $permission -and $_.AllowedMemberTypes -contains 'Application' }\n");
            script.Append("    if ($granted -notcontains $role.Id) {\n");
            script.Append("        New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $app.Id -PrincipalId $app.Id -ResourceId $graph.Id -AppRoleId $role.Id | Out-Null\n");
            script.Append("    }\n");
            script.Append("}\n");
        }

        return true;
    }
}
