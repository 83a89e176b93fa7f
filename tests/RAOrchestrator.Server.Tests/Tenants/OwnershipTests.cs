using System.Net;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using RAOrchestrator.Abstractions.Barriers;
using RAOrchestrator.Abstractions.Licensing;
using RAOrchestrator.Abstractions.ServiceAccounts;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Domain.Barriers;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// A customer tenant belongs to the partner an administrator of that tenant approved, through the approval page and
/// the tenant's sign-in (driven here over HTTP against the emulator), and to no one else.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class OwnershipTests(ServerFixture fixture)
{
    private ServerInstance Server => fixture.Server;
    private Tokens Tokens => fixture.Tokens;

    private TenantService.TenantServiceClient TenantsOf(string partner) => new(Server.Unapproved(Tokens.Writer(partner)));

    private OperationService.OperationServiceClient OperationsOf(string partner) => new(Server.Unapproved(Tokens.Writer(partner)));

    private static string Admin(string tenantId) => TestEmulator.AdminUpn(TestEmulator.DefaultDomain(tenantId));

    private int GraphRequestsFor(string tenantId) =>
        fixture.Emulator.State.Requests.Snapshot().Count(r => string.Equals(r.Tenant, tenantId, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public async Task A_claim_waits_for_the_tenants_administrator_and_reads_nothing_of_its_directory_until_then()
    {
        var partner = TestIds.NewPartner();
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);

        var created = await TenantsOf(partner).CreateTenantAsync(ReadyTenants.Create(tenantId));

        Assert.Equal(Tenant.Types.State.AwaitingApproval, created.Tenant.State);
        Assert.StartsWith($"http://127.0.0.1:", created.Tenant.ApprovalUri);
        Assert.Contains($"/tenant-approval/{tenantId}/", created.Tenant.ApprovalUri);
        Assert.NotNull(created.Tenant.ApprovalExpireTime);
        Assert.Equal(created.Tenant.ApprovalUri, created.Operation.ApprovalUri);
        var waiting = created.Operation.Steps[0];
        Assert.Equal(("await-approval", OperationStep.Types.State.Running), (waiting.Id, waiting.State));
        Assert.All(created.Operation.Steps.Skip(1), s => Assert.Equal(OperationStep.Types.State.Pending, s.State));

        var got = await TenantsOf(partner).GetTenantAsync(new GetTenantRequest { Name = created.Tenant.Name });
        Assert.Equal(Tenant.Types.State.AwaitingApproval, got.Tenant.State);
        Assert.Contains(created.Tenant.Name, (await TenantsOf(partner).ListTenantsAsync(new ListTenantsRequest())).Tenants.Select(t => t.Name));

        // Acting on it needs ownership.
        var update = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => TenantsOf(partner).UpdateTenantAsync(new UpdateTenantRequest
        {
            Tenant = new Tenant { Name = created.Tenant.Name, DisplayName = "Early" },
            UpdateMask = new FieldMask { Paths = { "display_name" } },
        }));
        Assert.Equal("TENANT_NOT_ACTIVE", update.Reason());
        await RpcAssert.Fails(StatusCode.NotFound, () => new ServiceAccountService.ServiceAccountServiceClient(Server.Unapproved(Tokens.Writer(partner)))
            .CreateServiceAccountAsync(new CreateServiceAccountRequest
            {
                Parent = created.Tenant.Name,
                ServiceAccountId = "vendor",
                ServiceAccount = new ServiceAccount { DisplayName = "Vendor", UserPrincipalName = $"vendor@{TestEmulator.DefaultDomain(tenantId)}", UsageLocation = "US" },
            }));
        await RpcAssert.Fails(StatusCode.NotFound, () => TenantsOf(partner).GetTenantRunbookAsync(new GetTenantRunbookRequest { Name = created.Tenant.Name }));
        await Task.Delay(500);
        Assert.Equal(0, GraphRequestsFor(tenantId));
    }

    [Fact]
    public async Task Another_partner_claiming_first_gets_nothing_and_ends_superseded_when_the_administrator_approves_the_rightful_partner()
    {
        var rightful = TestIds.NewPartner();
        var intruder = TestIds.NewPartner();
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);

        var intruderClaim = await TenantsOf(intruder).CreateTenantAsync(ReadyTenants.Create(tenantId));
        var rightfulClaim = await TenantsOf(rightful).CreateTenantAsync(ReadyTenants.Create(tenantId));
        Assert.Equal(Tenant.Types.State.AwaitingApproval, rightfulClaim.Tenant.State);
        Assert.NotEqual(intruderClaim.Tenant.ApprovalUri, rightfulClaim.Tenant.ApprovalUri);
        Assert.Equal(0, GraphRequestsFor(tenantId));

        using (var browser = new ApprovalBrowser(fixture.Emulator))
        {
            var outcome = await browser.DecideAsync(rightfulClaim.Tenant.ApprovalUri, Admin(tenantId));
            Assert.Equal(HttpStatusCode.OK, outcome.Status);
            Assert.Contains("Partner approved", outcome.Body);
            Assert.Contains(rightful, outcome.Body);
        }

        var onboarded = await OperationsOf(rightful).WatchToEndAsync(rightfulClaim.Operation.Name);
        Assert.Equal(Operation.Types.State.Succeeded, onboarded[^1].State);
        Assert.Equal("await-approval", onboarded[^1].Steps[0].Id);
        Assert.Contains(Admin(tenantId), onboarded[^1].Steps[0].Message);
        var tenant = (await TenantsOf(rightful).GetTenantAsync(new GetTenantRequest { Name = rightfulClaim.Tenant.Name })).Tenant;
        Assert.Equal(Tenant.Types.State.Active, tenant.State);
        Assert.Empty(tenant.ApprovalUri);
        var approved = Assert.Single(tenant.OwnershipHistory, e => e.Kind == OwnershipEvent.Types.Kind.Approved);
        Assert.Equal((rightful, Admin(tenantId)), (approved.PartnerId, approved.AdminUserPrincipalName));
        Assert.Contains(tenant.OwnershipHistory, e => e.Kind == OwnershipEvent.Types.Kind.Superseded && e.PartnerId.Length == 0);

        var intruderOperation = (await OperationsOf(intruder).GetOperationAsync(new GetOperationRequest { Name = intruderClaim.Operation.Name })).Operation;
        Assert.Equal((Operation.Types.State.Failed, "CLAIM_SUPERSEDED"), (intruderOperation.State, intruderOperation.Error.Reason));
        Assert.Empty(intruderOperation.ApprovalUri);
        await RpcAssert.Fails(StatusCode.NotFound, () => TenantsOf(intruder).GetTenantAsync(new GetTenantRequest { Name = intruderClaim.Tenant.Name }));
        Assert.Empty((await TenantsOf(intruder).ListTenantsAsync(new ListTenantsRequest())).Tenants);
        await RpcAssert.Fails(StatusCode.NotFound, () => new DirectoryService.DirectoryServiceClient(Server.Unapproved(Tokens.Writer(intruder)))
            .SearchUsersAsync(new SearchUsersRequest { Parent = tenant.Name, Query = "h", Searcher = Guid.NewGuid().ToString() }));

        // The superseded link is spent.
        using var late = new ApprovalBrowser(fixture.Emulator);
        var page = await late.OpenAsync(intruderClaim.Tenant.ApprovalUri);
        Assert.Contains("no longer waiting", page.Body);
    }

    [Fact]
    public async Task Approval_hands_a_tenant_to_another_partner_with_its_accounts_and_sessions_and_ends_the_old_partners_streams()
    {
        var world = new SessionWorld(fixture, TestIds.NewPartner());
        var tenant = await world.TenantAsync();
        var technician = tenant.Technician;
        var oldSessions = world.Sessions;
        var session = (await oldSessions.CreateSessionAsync(SessionWorld.Schedule(tenant, technician, SessionWorld.Guest("erin@oem.example")))).Session;
        using var sessionStream = oldSessions.WatchSession(new WatchSessionRequest { Name = session.Name });
        Assert.True(await sessionStream.ResponseStream.MoveNext(CancellationToken.None));

        var successor = TestIds.NewPartner();
        var claim = await TenantsOf(successor).CreateTenantAsync(ReadyTenants.Create(tenant.TenantId));
        Assert.Equal(Tenant.Types.State.AwaitingApproval, claim.Tenant.State);
        // The owner still has it while the claim waits.
        Assert.Equal(Tenant.Types.State.Active, (await world.Tenants.GetTenantAsync(new GetTenantRequest { Name = tenant.Name })).Tenant.State);

        using (var browser = new ApprovalBrowser(fixture.Emulator))
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.DecideAsync(claim.Tenant.ApprovalUri, Admin(tenant.TenantId))).Status);
        }

        var ended = await RpcAssert.Fails(StatusCode.NotFound, async () =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            while (await sessionStream.ResponseStream.MoveNext(timeout.Token))
            {
            }
        });
        Assert.Equal("NOT_FOUND", ended.Reason());
        await RpcAssert.Fails(StatusCode.NotFound, () => world.Tenants.GetTenantAsync(new GetTenantRequest { Name = tenant.Name }));
        await RpcAssert.Fails(StatusCode.NotFound, () => oldSessions.GetSessionAsync(new GetSessionRequest { Name = session.Name }));

        var onboarded = await OperationsOf(successor).WatchToEndAsync(claim.Operation.Name);
        Assert.Equal(Operation.Types.State.Succeeded, onboarded[^1].State);
        var successorSessions = new SessionService.SessionServiceClient(Server.Unapproved(Tokens.Writer(successor)));
        var kept = (await successorSessions.GetSessionAsync(new GetSessionRequest { Name = session.Name })).Session;
        Assert.Equal(session.Name, kept.Name);
        Assert.Contains(fixture.Emulator.State.GetTenant(tenant.TenantId).Users, u => (string?)u["id"] == technician);
    }

    [Fact]
    public async Task A_transfer_ends_the_previous_owners_live_operation_stream_with_not_found()
    {
        var previous = TestIds.NewPartner();
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var tenant = (await Server.Tenants(Tokens.Writer(previous)).CreateTenantAsync(ReadyTenants.Create(tenantId))).Tenant;
        await Server.Operations(Tokens.Reader(previous)).WatchToEndAsync(tenant.Operation);
        var barriers = new BarrierService.BarrierServiceClient(Server.Invoker(Tokens.Writer(previous)));
        await barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = tenant.Name, SegmentId = "sales", Segment = new Segment { UserGroupFilter = "Department -eq 'Sales'" } });

        // The apply reads the directory slowly, so it is still running when the tenant changes hands.
        fixture.Emulator.State.Faults.Settings = new GraphEmulator.FaultSettings { LatencyMs = 4000, Endpoints = ["GET /users"] };
        try
        {
            var apply = (await barriers.ApplyBarrierPoliciesAsync(new ApplyBarrierPoliciesRequest { Parent = tenant.Name })).Operation;
            using var stream = Server.Operations(Tokens.Reader(previous)).WatchOperation(new WatchOperationRequest { Name = apply.Name });
            Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None));
            Assert.False(stream.ResponseStream.Current.Operation.Done);

            var next = TestIds.NewPartner();
            var claim = await TenantsOf(next).CreateTenantAsync(ReadyTenants.Create(tenantId));
            using (var browser = new ApprovalBrowser(fixture.Emulator))
            {
                Assert.Equal(HttpStatusCode.OK, (await browser.DecideAsync(claim.Tenant.ApprovalUri, Admin(tenantId))).Status);
            }

            var ended = await RpcAssert.Fails(StatusCode.NotFound, async () =>
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                while (await stream.ResponseStream.MoveNext(timeout.Token))
                {
                    Assert.False(stream.ResponseStream.Current.Operation.Done, "the previous owner saw the apply finish");
                }
            });
            Assert.Equal("NOT_FOUND", ended.Reason());
        }
        finally
        {
            fixture.Emulator.State.Faults.Settings = new GraphEmulator.FaultSettings();
        }
    }

    [Fact]
    public async Task A_new_owner_reusing_the_previous_owners_request_id_gets_its_own_answer()
    {
        var previous = TestIds.NewPartner();
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var tenant = (await Server.Tenants(Tokens.Writer(previous)).CreateTenantAsync(ReadyTenants.Create(tenantId))).Tenant;
        var requestId = TestIds.NewRequestId();
        var theirs = await new BarrierService.BarrierServiceClient(Server.Invoker(Tokens.Writer(previous))).CreateSegmentAsync(new CreateSegmentRequest
        {
            RequestId = requestId,
            Parent = tenant.Name,
            SegmentId = "previous-owners",
            Segment = new Segment { UserGroupFilter = "Department -eq 'Sales'" },
        });

        var next = TestIds.NewPartner();
        var claim = await TenantsOf(next).CreateTenantAsync(ReadyTenants.Create(tenantId));
        using (var browser = new ApprovalBrowser(fixture.Emulator))
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.DecideAsync(claim.Tenant.ApprovalUri, Admin(tenantId))).Status);
        }

        var mine = await new BarrierService.BarrierServiceClient(Server.Unapproved(Tokens.Writer(next))).CreateSegmentAsync(new CreateSegmentRequest
        {
            RequestId = requestId,
            Parent = tenant.Name,
            SegmentId = "new-owners",
            Segment = new Segment { UserGroupFilter = "Department -eq 'Research'" },
        });

        Assert.Equal(tenant.Name + "/segments/previous-owners", theirs.Segment.Name);
        Assert.Equal(tenant.Name + "/segments/new-owners", mine.Segment.Name);
    }

    [Fact]
    public async Task Grains_holding_a_tenants_data_answer_a_call_from_the_api_only_for_the_partner_that_owns_the_tenant_now()
    {
        var owner = TestIds.NewPartner();
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var tenant = (await Server.Tenants(Tokens.Writer(owner)).CreateTenantAsync(ReadyTenants.Create(tenantId))).Tenant;
        await Server.Operations(Tokens.Reader(owner)).WatchToEndAsync(tenant.Operation);
        var grains = Server.Services.GetRequiredService<IGrainFactory>();
        var account = grains.GetGrain<IServiceAccountGrain>($"{tenant.Name}/serviceAccounts/any");
        var ledger = grains.GetGrain<ISeatLedgerGrain>($"{tenant.Name}/seatLedger");
        var checks = grains.GetGrain<IBarrierCheckGrain>(tenant.Name);

        // As a call that got past the API's own checks would reach them, in the name of another partner.
        DirectoryCaller.Set(TestIds.NewPartner());
        await Assert.ThrowsAsync<OrchestratorException>(() => account.TryGetAsync());
        await Assert.ThrowsAsync<OrchestratorException>(() => ledger.SummaryAsync(false));
        await Assert.ThrowsAsync<OrchestratorException>(() => checks.CheckAsync("a", "b", BarrierActivity.Call));

        DirectoryCaller.Set(owner);
        Assert.Null(await account.TryGetAsync());
        Assert.NotEmpty(await ledger.SummaryAsync(false));
    }

    [Fact]
    public async Task An_administrator_grants_the_apps_first_consent_in_the_same_visit_as_the_approval()
    {
        var partner = TestIds.NewPartner();
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator, consent: false);
        var claim = await TenantsOf(partner).CreateTenantAsync(ReadyTenants.Create(tenantId));

        using (var browser = new ApprovalBrowser(fixture.Emulator))
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.DecideAsync(claim.Tenant.ApprovalUri, Admin(tenantId), consent: true)).Status);
        }

        var onboarded = (await OperationsOf(partner).WatchToEndAsync(claim.Operation.Name))[^1];
        Assert.Equal(Operation.Types.State.Succeeded, onboarded.State);
        var tenant = (await TenantsOf(partner).GetTenantAsync(new GetTenantRequest { Name = claim.Tenant.Name })).Tenant;
        Assert.Equal(ReadinessReport.Types.Result.Passed, tenant.Readiness.Checks.Single(c => c.Id == "admin-consent").Result);
    }

    [Fact]
    public async Task A_forged_redirect_proves_nothing_and_changes_nothing()
    {
        var partner = TestIds.NewPartner();
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var claim = await TenantsOf(partner).CreateTenantAsync(ReadyTenants.Create(tenantId));
        var callback = new Uri(new Uri(claim.Tenant.ApprovalUri), "/tenant-approval/callback");

        using var attacker = new ApprovalBrowser(fixture.Emulator);
        var adminConsent = await attacker.OpenAsync($"{callback}?admin_consent=True&tenant={tenantId}&state={tenantId}.forged");
        var withCode = await attacker.OpenAsync($"{callback}?code=forged&state={tenantId}.forged");
        var noState = await attacker.OpenAsync($"{callback}?admin_consent=True&tenant={tenantId}");

        Assert.All([adminConsent, withCode, noState], o => Assert.True(o.Status is HttpStatusCode.Conflict or HttpStatusCode.BadRequest, $"{o.Status}: {o.Body}"));
        Assert.Equal(Tenant.Types.State.AwaitingApproval, (await TenantsOf(partner).GetTenantAsync(new GetTenantRequest { Name = claim.Tenant.Name })).Tenant.State);
    }

    [Fact]
    public async Task A_user_who_is_not_an_administrator_cannot_approve()
    {
        var partner = TestIds.NewPartner();
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var claim = await TenantsOf(partner).CreateTenantAsync(ReadyTenants.Create(tenantId));

        using var browser = new ApprovalBrowser(fixture.Emulator);
        var outcome = await browser.DecideAsync(claim.Tenant.ApprovalUri, $"hanna@{TestEmulator.DefaultDomain(tenantId)}");

        Assert.Equal(HttpStatusCode.Forbidden, outcome.Status);
        Assert.Contains("Global Administrator or a Privileged Role Administrator", outcome.Body);
        Assert.Equal(Tenant.Types.State.AwaitingApproval, (await TenantsOf(partner).GetTenantAsync(new GetTenantRequest { Name = claim.Tenant.Name })).Tenant.State);
    }

    [Fact]
    public async Task An_administrator_of_another_tenant_cannot_approve_by_signing_in_at_their_own_tenant()
    {
        var partner = TestIds.NewPartner();
        var victim = await ReadyTenants.AddAsync(fixture.Emulator);
        var attackers = await ReadyTenants.AddAsync(fixture.Emulator);
        var claim = await TenantsOf(partner).CreateTenantAsync(ReadyTenants.Create(victim));

        using var browser = new ApprovalBrowser(fixture.Emulator);
        var authorize = await browser.ChooseAsync(claim.Tenant.ApprovalUri, approve: true);
        // The attacker sends the sign-in to the tenant they administer, and brings its code back.
        var redirect = await browser.SignInAsync(authorize!.Replace($"/{victim}/oauth2/", $"/{attackers}/oauth2/", StringComparison.Ordinal), Admin(attackers), TestEmulator.SignInPassword);
        var outcome = await browser.OpenAsync(redirect);

        Assert.Equal(HttpStatusCode.Forbidden, outcome.Status);
        Assert.Equal(Tenant.Types.State.AwaitingApproval, (await TenantsOf(partner).GetTenantAsync(new GetTenantRequest { Name = claim.Tenant.Name })).Tenant.State);
    }

    [Fact]
    public async Task A_sign_in_is_used_once_and_only_in_the_browser_that_started_it()
    {
        var partner = TestIds.NewPartner();
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var claim = await TenantsOf(partner).CreateTenantAsync(ReadyTenants.Create(tenantId));

        using var admin = new ApprovalBrowser(fixture.Emulator);
        var authorize = await admin.ChooseAsync(claim.Tenant.ApprovalUri, approve: false);
        var redirect = await admin.SignInAsync(authorize!, Admin(tenantId), TestEmulator.SignInPassword);

        using var other = new ApprovalBrowser(fixture.Emulator);
        Assert.Equal(HttpStatusCode.Conflict, (await other.OpenAsync(redirect)).Status);

        var declined = await admin.OpenAsync(redirect);
        Assert.Equal(HttpStatusCode.OK, declined.Status);
        Assert.Contains("Request declined", declined.Body);
        var replayed = await admin.OpenAsync(redirect);
        Assert.Equal(HttpStatusCode.Conflict, replayed.Status);

        var operation = (await OperationsOf(partner).GetOperationAsync(new GetOperationRequest { Name = claim.Operation.Name })).Operation;
        Assert.Equal((Operation.Types.State.Failed, "CLAIM_DECLINED"), (operation.State, operation.Error.Reason));
        await RpcAssert.Fails(StatusCode.NotFound, () => TenantsOf(partner).GetTenantAsync(new GetTenantRequest { Name = claim.Tenant.Name }));
    }

    [Fact]
    public async Task The_choice_needs_the_pages_own_form_and_a_partner_may_not_claim_twice()
    {
        var partner = TestIds.NewPartner();
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var claim = await TenantsOf(partner).CreateTenantAsync(ReadyTenants.Create(tenantId));

        using var browser = new ApprovalBrowser(fixture.Emulator);
        Assert.Null(await browser.ChooseAsync(claim.Tenant.ApprovalUri, approve: true, withCsrf: false));
        var posted = await new ApprovalBrowser(fixture.Emulator).PostAsync(claim.Tenant.ApprovalUri, new Dictionary<string, string> { ["decision"] = "approve", ["csrf"] = "x".PadRight(43, 'x') });
        Assert.Equal(HttpStatusCode.Forbidden, posted.Status);

        var again = await RpcAssert.Fails(StatusCode.AlreadyExists, () => TenantsOf(partner).CreateTenantAsync(ReadyTenants.Create(tenantId)));
        Assert.Equal("CLAIM_PENDING", again.Reason());
        var unknown = await browser.OpenAsync(claim.Tenant.ApprovalUri[..^4] + "0000");
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
    }

    [Fact]
    public async Task A_partner_withdraws_its_claim_by_deleting_the_tenant()
    {
        var partner = TestIds.NewPartner();
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var claim = await TenantsOf(partner).CreateTenantAsync(ReadyTenants.Create(tenantId));

        var withdrawn = await TenantsOf(partner).DeleteTenantAsync(new DeleteTenantRequest { Name = claim.Tenant.Name });

        Assert.Equal(Operation.Types.State.Cancelled, withdrawn.Operation.State);
        await RpcAssert.Fails(StatusCode.NotFound, () => TenantsOf(partner).GetTenantAsync(new GetTenantRequest { Name = claim.Tenant.Name }));
        using var browser = new ApprovalBrowser(fixture.Emulator);
        Assert.Contains("withdrawn", (await browser.OpenAsync(claim.Tenant.ApprovalUri)).Body);
    }

    [Fact]
    public async Task Claims_on_another_partners_tenant_look_like_claims_on_any_tenant()
    {
        var owner = TestIds.NewPartner();
        var owned = await ReadyTenants.AddAsync(fixture.Emulator);
        await Server.Tenants(Tokens.Writer(owner)).CreateTenantAsync(ReadyTenants.Create(owned));
        var unowned = await ReadyTenants.AddAsync(fixture.Emulator);

        var prober = TestIds.NewPartner();
        var onOwned = await TenantsOf(prober).CreateTenantAsync(ReadyTenants.Create(owned));
        var onUnowned = await TenantsOf(prober).CreateTenantAsync(ReadyTenants.Create(unowned));

        Assert.Equal(onUnowned.Tenant.State, onOwned.Tenant.State);
        Assert.Equal(onUnowned.Operation.Steps.Select(s => (s.Id, s.State)), onOwned.Operation.Steps.Select(s => (s.Id, s.State)));
        Assert.Equal(onUnowned.Tenant.OwnershipHistory.Select(e => e.Kind), onOwned.Tenant.OwnershipHistory.Select(e => e.Kind));
        Assert.Empty(onOwned.Tenant.Readiness?.Checks ?? []);
        Assert.Empty(onOwned.Tenant.VerifiedDomains);
    }
}
