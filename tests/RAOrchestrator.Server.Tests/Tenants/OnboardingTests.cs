using System.Net.Http.Json;
using Google.Protobuf.WellKnownTypes;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class OnboardingTests(ServerFixture fixture)
{
    private readonly string _partner = TestIds.NewPartner();
    private TenantService.TenantServiceClient Tenants => fixture.Server.Tenants(fixture.Tokens.Writer(_partner));
    private OperationService.OperationServiceClient Operations => fixture.Server.Operations(fixture.Tokens.Reader(_partner));

    [Fact]
    public async Task A_tenant_without_consent_needs_attention_with_a_report_saying_so_and_a_runbook()
    {
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator, consent: false);
        var (tenant, operation) = await OnboardAsync(ReadyTenants.Create(tenantId));

        Assert.Equal(Tenant.Types.State.NeedsAttention, tenant.State);
        Assert.Equal(Operation.Types.State.Failed, operation.State);
        Assert.Equal("TENANT_NOT_READY", operation.Error.Reason);
        Assert.Contains("admin-consent", operation.Error.Message, StringComparison.Ordinal);
        var consent = Check(tenant, "admin-consent");
        Assert.Equal(ReadinessReport.Types.Result.Failed, consent.Result);
        Assert.Equal("CONSENT_MISSING", consent.Reason);
        Assert.Contains($"https://login.microsoftonline.com/{tenantId}/adminconsent?client_id={TestEmulator.AppId}", consent.Remedy, StringComparison.Ordinal);
        Assert.All(operation.Steps.Where(s => s.Id is "read-organization" or "read-licences" or "probe-meeting-access"),
            s => Assert.Equal(OperationStep.Types.State.Skipped, s.State));

        var runbook = await Tenants.GetTenantRunbookAsync(new GetTenantRunbookRequest { Name = tenant.Name });
        Assert.Contains($"Connect-MicrosoftTeams -TenantId '{tenantId}'", runbook.Script, StringComparison.Ordinal);
        Assert.Contains("admin-consent", runbook.CheckIds);
    }

    [Fact]
    public async Task Anonymous_join_turned_off_fails_its_check_and_the_runbook_turns_it_on()
    {
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var meetings = ReadyTenants.Confirmed;
        meetings.AnonymousJoin = MeetingSettings.Types.Switch.Off;
        var (tenant, _) = await OnboardAsync(ReadyTenants.Create(tenantId, meetings));

        Assert.Equal(Tenant.Types.State.NeedsAttention, tenant.State);
        var anonymous = Check(tenant, "anonymous-join");
        Assert.Equal(ReadinessReport.Types.Result.Failed, anonymous.Result);
        Assert.Equal("ANONYMOUS_JOIN_DISABLED", anonymous.Reason);
        Assert.Equal(ReadinessReport.Types.Result.Passed, Check(tenant, "admin-consent").Result);

        var runbook = await Tenants.GetTenantRunbookAsync(new GetTenantRunbookRequest { Name = tenant.Name });
        Assert.Contains("Set-CsTeamsMeetingConfiguration -Identity Global -DisableAnonymousJoin $false", runbook.Script, StringComparison.Ordinal);
        Assert.DoesNotContain("Grant-CsApplicationAccessPolicy", runbook.Script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unconfirmed_teams_settings_are_unknown_until_the_partner_confirms_them_which_activates_the_tenant()
    {
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var (tenant, _) = await OnboardAsync(ReadyTenants.Create(tenantId, new MeetingSettings()));
        Assert.Equal(Tenant.Types.State.NeedsAttention, tenant.State);
        Assert.Equal(ReadinessReport.Types.Result.Unknown, Check(tenant, "anonymous-join").Result);
        Assert.Equal("ANONYMOUS_JOIN_UNCONFIRMED", Check(tenant, "anonymous-join").Reason);

        var updated = await Tenants.UpdateTenantAsync(new UpdateTenantRequest
        {
            Tenant = new Tenant { Name = tenant.Name, Etag = tenant.Etag, MeetingSettings = ReadyTenants.Confirmed },
            UpdateMask = new FieldMask { Paths = { "meeting_settings" } },
        });

        Assert.Equal(Tenant.Types.State.Active, updated.Tenant.State);
        Assert.True(updated.Tenant.Readiness.Ready);
        Assert.Equal(ReadyTenants.Confirmed, updated.Tenant.MeetingSettings);
    }

    [Fact]
    public async Task A_missing_application_access_policy_is_found_and_a_recheck_after_the_fix_activates_the_tenant()
    {
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator, appAccessPolicy: false);
        var (tenant, _) = await OnboardAsync(ReadyTenants.Create(tenantId));
        Assert.Equal("APP_ACCESS_POLICY_MISSING", Check(tenant, "application-access-policy").Reason);
        var runbook = await Tenants.GetTenantRunbookAsync(new GetTenantRunbookRequest { Name = tenant.Name });
        Assert.Contains($"New-CsApplicationAccessPolicy -Identity 'RAOrchestrator-{TestEmulator.AppId[..8]}' -AppIds '{TestEmulator.AppId}'", runbook.Script, StringComparison.Ordinal);
        Assert.Contains("Grant-CsApplicationAccessPolicy", runbook.Script, StringComparison.Ordinal);

        // The tenant admin runs the runbook (the emulator's admin endpoint plays Teams PowerShell).
        using var admin = fixture.Emulator.CreateHttpClient();
        (await admin.PutAsync($"_emulator/tenants/{tenantId}/app-access-policies/{TestEmulator.AppId}", JsonContent.Create(new { }))).EnsureSuccessStatusCode();

        var recheck = await Tenants.CheckTenantReadinessAsync(new CheckTenantReadinessRequest { Name = tenant.Name, RequestId = TestIds.NewRequestId() });
        Assert.Equal(Operation.Types.Kind.CheckTenantReadiness, recheck.Operation.Kind);
        var updates = await Operations.WatchToEndAsync(recheck.Operation.Name);
        Assert.Equal(Operation.Types.State.Succeeded, updates[^1].State);

        var after = (await Tenants.GetTenantAsync(new GetTenantRequest { Name = tenant.Name })).Tenant;
        Assert.Equal(Tenant.Types.State.Active, after.State);
        Assert.Equal(ReadinessReport.Types.Result.Passed, Check(after, "application-access-policy").Result);
    }

    [Fact]
    public async Task Settings_that_name_unknown_values_are_refused_naming_the_field()
    {
        var request = ReadyTenants.Create(TestIds.NewTenantId());
        request.Tenant.LicensePlan = new LicensePlan { RemoteAssistSkuId = "not-a-guid" };
        request.Tenant.ExternalAccessAllowedTenants.Add("contoso.com");
        var ex = await RpcAssert.Fails(global::Grpc.Core.StatusCode.InvalidArgument, () => Tenants.CreateTenantAsync(request));
        Assert.Equal(["tenant.license_plan.remote_assist_sku_id", "tenant.external_access_allowed_tenants[0]"], ex.ViolatedFields());
    }

    [Fact]
    public async Task A_licence_plan_naming_a_sku_the_tenant_lacks_fails_the_remote_assist_check()
    {
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var request = ReadyTenants.Create(tenantId);
        request.Tenant.LicensePlan = new LicensePlan { RemoteAssistSkuId = Guid.NewGuid().ToString() };
        var (tenant, _) = await OnboardAsync(request);
        Assert.Equal("SKU_NOT_FOUND", Check(tenant, "remote-assist-licences").Reason);
    }

    [Fact]
    public async Task A_disabled_pass_policy_and_a_missing_mail_permission_fail_their_checks_yet_the_tenant_is_active_and_the_runbook_fixes_them()
    {
        // The emulator's defaults: the policy is disabled (as Entra's is), and the app holds the pass permission but not Mail.Send.
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var (tenant, operation) = await OnboardAsync(ReadyTenants.Create(tenantId));

        Assert.Equal(Tenant.Types.State.Active, tenant.State);
        Assert.Equal(OperationStep.Types.State.Succeeded, operation.Steps.Single(s => s.Id == "read-sign-in-prerequisites").State);
        var policy = Check(tenant, "temporary-access-pass-policy");
        Assert.Equal((ReadinessReport.Types.Result.Failed, "TAP_POLICY_DISABLED", false), (policy.Result, policy.Reason, policy.Blocking));
        Assert.Contains("\"Enable Temporary Access Pass\"", policy.Remedy, StringComparison.Ordinal);
        Assert.Equal(ReadinessReport.Types.Result.Passed, Check(tenant, "temporary-access-pass-permission").Result);
        Assert.Equal("MAIL_PERMISSION_MISSING", Check(tenant, "mail-send-permission").Reason);

        var runbook = await Tenants.GetTenantRunbookAsync(new GetTenantRunbookRequest { Name = tenant.Name });
        Assert.Contains("\n# Enable Temporary Access Pass\n", runbook.Script, StringComparison.Ordinal);
        Assert.Contains("Update-MgPolicyAuthenticationMethodPolicyAuthenticationConfiguration -AuthenticationMethodConfigurationId 'TemporaryAccessPass'", runbook.Script, StringComparison.Ordinal);
        Assert.Contains("foreach ($permission in @('Mail.Send'))", runbook.Script, StringComparison.Ordinal);
        Assert.Contains("temporary-access-pass-policy", runbook.CheckIds);
    }

    [Fact]
    public async Task An_enabled_pass_policy_and_granted_permissions_pass_and_the_runbook_leaves_the_section_out()
    {
        var tenantId = TestIds.NewTenantId();
        await TestEmulator.AddTenantAsync(fixture.Emulator, tenantId,
            passPolicy: new() { ["state"] = "enabled", ["includeTargets"] = new System.Text.Json.Nodes.JsonArray("all_users"), ["isUsableOnce"] = true },
            appPermissions: ["User.ReadWrite.All", "Directory.ReadWrite.All", "Organization.Read.All", "OnlineMeetings.ReadWrite.All", "Policy.Read.All", "UserAuthMethod-TAP.ReadWrite.All", "Mail.Send"]);
        var (tenant, _) = await OnboardAsync(ReadyTenants.Create(tenantId));

        Assert.All(tenant.Readiness.Checks.Where(c => c.Id is "temporary-access-pass-policy" or "temporary-access-pass-permission" or "mail-send-permission"),
            c => Assert.Equal(ReadinessReport.Types.Result.Passed, c.Result));
        Assert.Contains("one-time passes only", Check(tenant, "temporary-access-pass-policy").Message, StringComparison.Ordinal);
        var runbook = await Tenants.GetTenantRunbookAsync(new GetTenantRunbookRequest { Name = tenant.Name });
        Assert.DoesNotContain("Enable Temporary Access Pass", runbook.Script, StringComparison.Ordinal);
    }

    private async Task<(Tenant Tenant, Operation Operation)> OnboardAsync(CreateTenantRequest request)
    {
        var created = await Tenants.CreateTenantAsync(request);
        var updates = await Operations.WatchToEndAsync(created.Operation.Name);
        var tenant = (await Tenants.GetTenantAsync(new GetTenantRequest { Name = created.Tenant.Name })).Tenant;
        return (tenant, updates[^1]);
    }

    private static ReadinessReport.Types.Check Check(Tenant tenant, string id) => Assert.Single(tenant.Readiness.Checks, c => c.Id == id);
}
