using System.Diagnostics;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RAOrchestrator.Server.Tests;

/// <summary>Bulk onboarding with service-account plans, through the API against the emulator and Azurite.</summary>
[Collection(ServerCollection.Name)]
public sealed class BulkServiceAccountTests(ServerFixture fixture, ITestOutputHelper output)
{
    private const int AccountsPerTenant = 5;
    private readonly string _partner = TestIds.NewPartner();
    private BulkOnboardingService.BulkOnboardingServiceClient Bulk => new(fixture.Server.Invoker(fixture.Tokens.Writer(_partner)));
    private OperationService.OperationServiceClient Operations => fixture.Server.Operations(fixture.Tokens.Reader(_partner));
    private ServiceAccountService.ServiceAccountServiceClient Accounts => new(fixture.Server.Invoker(fixture.Tokens.Reader(_partner)));

    [Fact]
    public async Task Two_hundred_tenants_with_five_accounts_each_under_throttling_and_faults_end_active_or_failed_with_a_reason_and_nothing_twice()
    {
        var ready = await Task.WhenAll(Enumerable.Range(0, 194).Select(_ => ReadyTenants.AddAsync(fixture.Emulator)));
        var threeSeats = TestIds.NewTenantId();
        await TestEmulator.AddTenantAsync(fixture.Emulator, threeSeats, remoteAssistSeats: 3);
        var noConsent = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => ReadyTenants.AddAsync(fixture.Emulator, consent: false)));
        var active = ready.Append(threeSeats).ToArray();
        var foreignUpn = (Tenant: ready[7], Account: "vendor-3");

        var request = new StartBulkOnboardingRequest { RequestId = TestIds.NewRequestId(), MaxParallelism = 64 };
        request.Tenants.AddRange(active.Concat(noConsent).Select(id => Tenant(id, id == foreignUpn.Tenant ? foreignUpn.Account : null)));

        fixture.Emulator.State.Throttler.Settings = new ThrottlingSettings { BudgetOverride = 6, WindowSeconds = 1, InFlightGraceMilliseconds = 500 };
        fixture.Emulator.State.Faults.Settings = new FaultSettings { ServiceUnavailableRate = 0.03, DropConnectionRate = 0.02, Seed = 4 };
        var clock = Stopwatch.StartNew();
        IReadOnlyList<Operation> updates;
        Operation retried;
        try
        {
            var started = await Bulk.StartBulkOnboardingAsync(request);
            // Throttled on purpose: on a machine busy with other tests this takes a while.
            updates = await Operations.WatchToEndAsync(started.Operation.Name, within: TimeSpan.FromMinutes(3));
            retried = (await Bulk.StartBulkOnboardingAsync(request)).Operation;
        }
        finally
        {
            fixture.Emulator.State.Faults.Settings = new FaultSettings();
            fixture.Emulator.State.Throttler.Settings = new ThrottlingSettings();
        }

        var throttled = active.Sum(id => fixture.Emulator.State.Counters.ForTenant(id).Throttled);
        var faults = active.Sum(id => fixture.Emulator.State.Counters.ForTenant(id).FaultsInjected);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s, {updates.Count} progress updates, {throttled} answered 429, {faults} faults injected");
        Assert.True(throttled > 0 && faults > 0, "the throttle budget and the faults were meant to bite");

        // Progress adds up at every update, for tenants and for accounts.
        Assert.All(updates, u =>
        {
            Assert.Equal(u.Bulk.Total, u.Bulk.Pending + u.Bulk.Running + u.Bulk.Succeeded + u.Bulk.NeedsAttention + u.Bulk.Failed + u.Bulk.Cancelled + u.Bulk.AwaitingApproval);
            var a = u.Bulk.Accounts;
            Assert.Equal(1000, a.Total);
            Assert.Equal(a.Total, a.Pending + a.Running + a.Succeeded + a.Failed + a.Skipped + a.Cancelled);
        });
        Assert.Equal(updates.Select(u => u.Version).Order(), updates.Select(u => u.Version));

        var last = updates[^1];
        Assert.Equal(Operation.Types.State.Succeeded, last.State);
        Assert.Equal((200, 195, 5, 0), (last.Bulk.Total, last.Bulk.Succeeded, last.Bulk.NeedsAttention, last.Bulk.Failed));
        Assert.Equal((972, 3, 25, 0), (last.Bulk.Accounts.Succeeded, last.Bulk.Accounts.Failed, last.Bulk.Accounts.Skipped, last.Bulk.Accounts.Pending + last.Bulk.Accounts.Running));
        Assert.All(noConsent, id => Assert.Contains(last.Bulk.ItemResults, r => r.Target == "tenants/" + id && r.Reason == "CONSENT_MISSING"));
        Assert.Contains(last.Bulk.ItemResults, r => r.Target == $"tenants/{foreignUpn.Tenant}/serviceAccounts/{foreignUpn.Account}" && r.Reason == "UPN_DOMAIN_NOT_VERIFIED");
        Assert.Equal(2, last.Bulk.ItemResults.Count(r => r.Target.StartsWith($"tenants/{threeSeats}/serviceAccounts/", StringComparison.Ordinal) && r.Reason == "NO_SEATS_AVAILABLE"));
        Assert.Equal(3 + 5, last.Bulk.ItemResults.Count);

        // The same request id answers with the same operation and makes nothing new.
        Assert.Equal(last, retried);

        // No duplicate users or licences in the directory; every ledger balances with what Graph counts.
        foreach (var id in active)
        {
            var tenant = fixture.Emulator.State.Tenants[id];
            var vendors = tenant.Users.Where(u => ((string?)u["userPrincipalName"])!.StartsWith("vendor-", StringComparison.Ordinal)).ToArray();
            var expected = id == threeSeats ? 3 : id == foreignUpn.Tenant ? 4 : 5;
            Assert.Equal(expected, vendors.Length);
            Assert.Equal(expected, vendors.Select(u => ((string?)u["userPrincipalName"])!.ToLowerInvariant()).Distinct().Count());
            Assert.All(vendors, u => Assert.Single(u["assignedLicenses"]!.AsArray()));
            Assert.Equal(expected, tenant.ConsumedUnits(TestEmulator.RemoteAssistSku));

            var seats = await SettledSeatsAsync(id);
            Assert.Equal((expected, 0, seats.Enabled - expected), (seats.Consumed, seats.Reserved, seats.Available));
        }

        var listed = await Accounts.ListServiceAccountsAsync(new ListServiceAccountsRequest { Parent = "tenants/" + ready[0] });
        Assert.Equal(Enumerable.Range(0, AccountsPerTenant).Select(i => $"tenants/{ready[0]}/serviceAccounts/vendor-{i}"), listed.ServiceAccounts.Select(a => a.Name));
        Assert.All(listed.ServiceAccounts, a => Assert.Equal(ServiceAccount.Types.State.Active, a.State));
    }

    /// <summary>
    /// The Remote Assist seats of a tenant once its ledger holds nothing: an account counts as done when it turns
    /// ACTIVE, and its ledger confirmation follows a moment later; a refresh keeps a confirmation newer than its read,
    /// and a confirmation that failed is made again at the account's next reminder (a minute).
    /// </summary>
    private async Task<GetLicenseSummaryResponse.Types.Sku> SettledSeatsAsync(string tenantId)
    {
        var until = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var summary = await Accounts.GetLicenseSummaryAsync(new GetLicenseSummaryRequest { Parent = "tenants/" + tenantId, Refresh = true });
            var seats = Assert.Single(summary.Skus, s => s.SkuId == TestEmulator.RemoteAssistSku.ToString());
            if (seats.Reserved == 0 || DateTime.UtcNow > until)
            {
                return seats;
            }

            await Task.Delay(500);
        }
    }

    [Fact]
    public async Task Without_faults_provisioning_takes_at_most_a_quarter_of_a_graph_round_trip_per_account()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ReadyTenants.AddAsync(fixture.Emulator)));
        var request = new StartBulkOnboardingRequest { RequestId = TestIds.NewRequestId(), MaxParallelism = 20 };
        request.Tenants.AddRange(ids.Select(id => Tenant(id)));

        var started = await Bulk.StartBulkOnboardingAsync(request);
        var last = (await Operations.WatchToEndAsync(started.Operation.Name))[^1];

        Assert.Equal(100, last.Bulk.Accounts.Succeeded);
        var counters = ids.Select(id => fixture.Emulator.State.Counters.ForTenant(id)).ToArray();

        // Onboarding reads five things a tenant (organization, SKUs, a user, the meeting-access probe and the Temporary
        // Access Pass policy); what is left is the accounts', and the seat ledger takes the inventory onboarding read
        // instead of reading it again.
        var onboarding = 5 * ids.Length;
        var accountRoundTrips = counters.Sum(c => c.Requests) - onboarding;
        output.WriteLine($"{accountRoundTrips} round trips for 100 accounts ({counters.Sum(c => c.InnerBatchRequests)} requests inside batches)");
        foreach (var endpoint in counters.SelectMany(c => c.Endpoints).GroupBy(e => e.Key))
        {
            output.WriteLine($"  {endpoint.Key}: {endpoint.Sum(e => e.Value.Requests)} round trips, {endpoint.Sum(e => e.Value.InnerBatchRequests)} inside batches");
        }
        Assert.Equal(1, counters.Max(c => c.Endpoints.GetValueOrDefault("GET /subscribedSkus")?.Requests ?? 0));
        Assert.True(accountRoundTrips <= 25, $"{accountRoundTrips} round trips for 100 accounts");
        Assert.Equal(200, counters.Sum(c => c.InnerBatchRequests));
    }

    [Fact]
    public async Task A_bulk_request_with_bad_service_account_plans_names_each_field()
    {
        var id = TestIds.NewTenantId();
        var tenant = Tenant(id);
        tenant.ServiceAccounts[1].UserPrincipalName = "not an upn";
        tenant.ServiceAccounts[2].UsageLocation = "de";
        tenant.ServiceAccounts[3].ServiceAccountId = "Vendor_3";
        tenant.ServiceAccounts[4].ServiceAccountId = "vendor-0";
        tenant.ServiceAccounts.Add(new BulkServiceAccount
        {
            ServiceAccountId = "vendor-5",
            DisplayName = "Vendor 5",
            UserPrincipalName = tenant.ServiceAccounts[0].UserPrincipalName,
            UsageLocation = "US",
            Attributes = { ["favouriteColour"] = "blue" },
        });
        var request = new StartBulkOnboardingRequest { RequestId = TestIds.NewRequestId() };
        request.Tenants.Add(Tenant(TestIds.NewTenantId()));
        request.Tenants.Add(tenant);

        var ex = await RpcAssert.Fails(global::Grpc.Core.StatusCode.InvalidArgument, () => Bulk.StartBulkOnboardingAsync(request));
        string[] expected =
        [
            "tenants[1].service_accounts[1].user_principal_name",
            "tenants[1].service_accounts[2].usage_location",
            "tenants[1].service_accounts[3].service_account_id",
            "tenants[1].service_accounts[4].service_account_id",
            "tenants[1].service_accounts[5].user_principal_name",
            "tenants[1].service_accounts[5].attributes[favouriteColour]",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), ex.ViolatedFields().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_cancelled_bulk_onboarding_counts_the_accounts_it_did_not_start_as_cancelled()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => ReadyTenants.AddAsync(fixture.Emulator)));
        var request = new StartBulkOnboardingRequest { RequestId = TestIds.NewRequestId(), MaxParallelism = 1 };
        request.Tenants.AddRange(ids.Select(id => Tenant(id)));

        fixture.Emulator.State.Faults.Settings = new FaultSettings { LatencyMs = 100 };
        try
        {
            var started = await Bulk.StartBulkOnboardingAsync(request);
            var cancelled = await fixture.Server.Operations(fixture.Tokens.Writer(_partner)).CancelOperationAsync(new CancelOperationRequest { Name = started.Operation.Name });
            var last = (await Operations.WatchToEndAsync(started.Operation.Name, cancelled.Operation.Version - 1))[^1];

            Assert.Equal(Operation.Types.State.Cancelled, last.State);
            var a = last.Bulk.Accounts;
            Assert.True(a.Cancelled > 0);
            Assert.Equal(60, a.Succeeded + a.Cancelled);
            var made = ids.Sum(id => fixture.Emulator.State.Tenants[id].Users.Count(u => ((string?)u["userPrincipalName"])!.StartsWith("vendor-", StringComparison.Ordinal)));
            Assert.Equal(a.Succeeded, made);
        }
        finally
        {
            fixture.Emulator.State.Faults.Settings = new FaultSettings();
        }
    }

    /// <summary>A tenant with confirmed Teams settings and five vendor accounts (one of them, if named, outside its domains).</summary>
    internal static BulkTenant Tenant(string tenantId, string? foreignAccount = null)
    {
        var tenant = new BulkTenant { TenantId = tenantId, Tenant = ReadyTenants.Create(tenantId).Tenant };
        for (var i = 0; i < AccountsPerTenant; i++)
        {
            var id = $"vendor-{i}";
            var domain = id == foreignAccount ? "contoso.com" : $"t{tenantId[..8]}.example";
            tenant.ServiceAccounts.Add(new BulkServiceAccount
            {
                ServiceAccountId = id,
                DisplayName = $"OEM vendor {i}",
                UserPrincipalName = $"{id}@{domain}",
                UsageLocation = "DE",
                Attributes = { ["companyName"] = "OEM Ltd", ["department"] = "Vendors" },
            });
        }

        return tenant;
    }
}
