using RAOrchestrator.Domain.SignInPasses;
using RAOrchestrator.Domain.Tenants;

namespace RAOrchestrator.Domain.Tests.Tenants;

public sealed class SignInReadinessTests
{
    private const string TenantId = "5b2d0c7e-1f3a-4e8b-9c6d-2a4f6e8b0c1d";
    private const string AppId = "6c1f3e2a-8d4b-4f0e-9a7c-2b5d8e1f4a90";
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly TenantSettings WithSender = TenantSettings.Default with { MailSender = "remote-assist@companyabc.com" };
    private static readonly string[] AllPermissions = ["User.ReadWrite.All", "Policy.Read.All", "UserAuthMethod-TAP.ReadWrite.All", "Mail.Send"];

    private static TemporaryAccessPassPolicy Policy(bool enabled = true, params string[] targets) =>
        new(enabled, targets.Length > 0 ? targets : [TemporaryAccessPassPolicy.AllUsers], 60, 60, 480, false, 8);

    private static TenantFacts Facts(TemporaryAccessPassPolicy? policy, IReadOnlyList<string>? permissions, FactFailure? policyFailure = null) =>
        TenantFacts.None with { ConsentVerified = true, PassPolicy = policy, PassPolicyFailure = policyFailure, AppPermissions = permissions };

    private static ReadinessReport Report(TenantFacts facts) => ReadinessRules.Evaluate(facts, TenantSettings.Default, TenantId, AppId, Now);

    private static ReadinessCheck Check(TenantFacts facts, string id) => Assert.Single(Report(facts).Checks, c => c.Id == id);

    private static string Runbook(TenantFacts facts) => TenantRunbook.Generate(TenantId, "Company ABC", AppId, TenantSettings.Default, Report(facts));

    [Fact]
    public void An_enabled_policy_for_all_users_and_the_permissions_pass_and_the_runbook_leaves_the_section_out()
    {
        var facts = Facts(Policy(), AllPermissions);
        Assert.All(SignInReadinessRules.Evaluate(facts, WithSender), c => Assert.Equal(CheckResult.Passed, c.Result));
        Assert.Contains("60–480 minutes", Check(facts, SignInReadinessRules.PassPolicy).Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PassRequestRules.RunbookSection, Runbook(facts), StringComparison.Ordinal);
    }

    [Fact]
    public void A_disabled_policy_and_missing_permissions_fail_without_blocking_the_tenant()
    {
        var facts = Facts(Policy(enabled: false), ["User.ReadWrite.All"]);
        var checks = SignInReadinessRules.Evaluate(facts, WithSender).Where(c => c.Id != SignInReadinessRules.MailSender).ToList();

        Assert.Equal([SignInReadinessRules.PassPolicy, SignInReadinessRules.PassPermission, SignInReadinessRules.MailPermission], checks.Select(c => c.Id));
        Assert.All(checks, c => Assert.Equal(CheckResult.Failed, c.Result));
        Assert.All(checks, c => Assert.False(c.Blocking));
        Assert.All(checks, c => Assert.Contains($"\"{PassRequestRules.RunbookSection}\"", c.Remedy, StringComparison.Ordinal));
        Assert.Equal(["TAP_POLICY_DISABLED", "TAP_PERMISSION_MISSING", "MAIL_PERMISSION_MISSING"], checks.Select(c => c.Reason));
        Assert.True(new ReadinessReport(checks, Now).Ready);
    }

    [Fact]
    public void A_broader_authentication_method_permission_counts_as_the_pass_permission()
    {
        var facts = Facts(Policy(), ["UserAuthenticationMethod.ReadWrite.All", "Mail.Send"]);
        Assert.Equal(CheckResult.Passed, Check(facts, SignInReadinessRules.PassPermission).Result);
    }

    [Fact]
    public void A_policy_limited_to_groups_fails_naming_them()
    {
        var check = Check(Facts(Policy(true, "a1b2c3d4-0000-4000-8000-000000000001"), AllPermissions), SignInReadinessRules.PassPolicy);
        Assert.Equal(CheckResult.Failed, check.Result);
        Assert.Equal("TAP_POLICY_TARGETS_GROUPS", check.Reason);
        Assert.Contains("a1b2c3d4-0000-4000-8000-000000000001", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_consent_the_directory_checks_are_unknown_and_the_runbook_leaves_the_section_out()
    {
        var facts = TenantFacts.None;
        Assert.All(SignInReadinessRules.Evaluate(facts, WithSender).Where(c => c.Id != SignInReadinessRules.MailSender), c => Assert.Equal(CheckResult.Unknown, c.Result));
        Assert.DoesNotContain(PassRequestRules.RunbookSection, Runbook(facts), StringComparison.Ordinal);
    }

    [Fact]
    public void The_runbook_enables_a_disabled_policy_for_all_users()
    {
        var script = Runbook(Facts(Policy(enabled: false), AllPermissions));

        Assert.Contains("\n# Enable Temporary Access Pass\n", script, StringComparison.Ordinal);
        Assert.Contains($"Connect-MgGraph -TenantId '{TenantId}'", script, StringComparison.Ordinal);
        Assert.Contains("Update-MgPolicyAuthenticationMethodPolicyAuthenticationConfiguration -AuthenticationMethodConfigurationId 'TemporaryAccessPass'", script, StringComparison.Ordinal);
        Assert.Contains("state = 'enabled'", script, StringComparison.Ordinal);
        Assert.Contains("id = 'all_users'", script, StringComparison.Ordinal);
        Assert.DoesNotContain("New-MgServicePrincipalAppRoleAssignment", script, StringComparison.Ordinal);
    }

    [Fact]
    public void The_runbook_grants_only_the_missing_permissions_and_leaves_an_enabled_policy_alone()
    {
        var script = Runbook(Facts(Policy(), ["Policy.Read.All", "UserAuthMethod-TAP.ReadWrite.All"]));

        Assert.Contains("# Enable Temporary Access Pass", script, StringComparison.Ordinal);
        Assert.Contains("foreach ($permission in @('Mail.Send'))", script, StringComparison.Ordinal);
        Assert.Contains($"appId eq '{AppId}'", script, StringComparison.Ordinal);
        Assert.Contains("New-MgServicePrincipalAppRoleAssignment", script, StringComparison.Ordinal);
        Assert.DoesNotContain("Update-MgPolicyAuthenticationMethodPolicyAuthenticationConfiguration", script, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_graph_refused_to_read_is_unknown_and_the_runbook_grants_the_read_permission()
    {
        var denied = new FactFailure(SignInReadinessRules.PermissionDenied, "Graph refused the MSP app: it needs the application permission Policy.Read.All.");
        var facts = Facts(null, ["UserAuthMethod-TAP.ReadWrite.All", "Mail.Send"], denied);

        var check = Check(facts, SignInReadinessRules.PassPolicy);
        Assert.Equal(CheckResult.Unknown, check.Result);
        Assert.Equal("GRAPH_PERMISSION_DENIED", check.Reason);
        Assert.Contains("foreach ($permission in @('Policy.Read.All'))", Runbook(facts), StringComparison.Ordinal);
    }

    [Fact]
    public void The_mail_sender_must_be_set_and_in_the_tenants_domains_without_blocking_the_tenant()
    {
        var organization = new RAOrchestrator.Domain.Directory.DirectoryOrganization(TenantId, "Company ABC", [new RAOrchestrator.Domain.Directory.VerifiedDomain("companyabc.com", true, false)]);
        var facts = Facts(Policy(), AllPermissions) with { Organization = organization };
        ReadinessCheck Sender(TenantSettings settings) => Assert.Single(SignInReadinessRules.Evaluate(facts, settings), c => c.Id == SignInReadinessRules.MailSender);

        var unset = Sender(TenantSettings.Default);
        Assert.Equal((CheckResult.Failed, "MAIL_SENDER_NOT_SET", false), (unset.Result, unset.Reason, unset.Blocking));
        Assert.Contains("mail_sender", unset.Remedy, StringComparison.Ordinal);
        var outside = Sender(TenantSettings.Default with { MailSender = "noreply@elsewhere.example" });
        Assert.Equal((CheckResult.Failed, "MAIL_SENDER_OUTSIDE_TENANT"), (outside.Result, outside.Reason));
        var good = Sender(WithSender);
        Assert.Equal(CheckResult.Passed, good.Result);
        Assert.Contains("remote-assist@companyabc.com", good.Message, StringComparison.Ordinal);
    }
}
