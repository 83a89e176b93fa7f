using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class BulkOnboardingTests(ServerFixture fixture)
{
    private readonly string _partner = TestIds.NewPartner();
    private BulkOnboardingService.BulkOnboardingServiceClient Bulk => new(fixture.Server.Invoker(fixture.Tokens.Writer(_partner)));
    private OperationService.OperationServiceClient Operations => fixture.Server.Operations(fixture.Tokens.Writer(_partner));

    [Fact]
    public async Task A_bulk_onboarding_under_throttling_and_faults_onboards_each_tenant_as_its_approval_arrives_and_ends_with_each_active_or_failed_with_a_reason()
    {
        var ready = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => ReadyTenants.AddAsync(fixture.Emulator)));
        var noConsent = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => ReadyTenants.AddAsync(fixture.Emulator, consent: false)));
        var takenByOthers = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            var id = await ReadyTenants.AddAsync(fixture.Emulator);
            await fixture.Server.Tenants(fixture.Tokens.Writer(TestIds.NewPartner())).CreateTenantAsync(ReadyTenants.Create(id));
            return id;
        }));
        var request = new StartBulkOnboardingRequest { RequestId = TestIds.NewRequestId(), MaxParallelism = 8 };
        request.Tenants.AddRange(ready.Concat(noConsent).Concat(takenByOthers).Select(id => new BulkTenant { TenantId = id, Tenant = ReadyTenants.Create(id).Tenant }));

        fixture.Emulator.State.Faults.Settings = new FaultSettings { ServiceUnavailableRate = 0.05, DropConnectionRate = 0.02, Seed = 11 };
        IReadOnlyList<Operation>[] watched;
        Operation retried;
        try
        {
            var started = await Bulk.StartBulkOnboardingAsync(request);
            Assert.Equal(Operation.Types.Kind.BulkOnboarding, started.Operation.Kind);
            watched = await Task.WhenAll(Operations.WatchToEndAsync(started.Operation.Name), Operations.WatchToEndAsync(started.Operation.Name));
            retried = (await Bulk.StartBulkOnboardingAsync(request)).Operation;
            Assert.Equal(started.Operation.Name, retried.Name);
        }
        finally
        {
            fixture.Emulator.State.Faults.Settings = new FaultSettings();
        }

        foreach (var updates in watched)
        {
            Assert.All(updates, u => Assert.Equal(u.Bulk.Total, u.Bulk.Pending + u.Bulk.Running + u.Bulk.Succeeded + u.Bulk.NeedsAttention + u.Bulk.Failed + u.Bulk.Cancelled + u.Bulk.AwaitingApproval));
            Assert.Equal(updates.Select(u => u.Version).Order(), updates.Select(u => u.Version));
        }

        var last = watched[0][^1];
        Assert.Equal(Operation.Types.State.Succeeded, last.State);
        // The tenants another partner managed were handed over by their administrators' approval, like the rest.
        Assert.Equal((60, 55, 5, 0, 0), (last.Bulk.Total, last.Bulk.Succeeded, last.Bulk.NeedsAttention, last.Bulk.Failed, last.Bulk.Pending + last.Bulk.Running + last.Bulk.AwaitingApproval));
        Assert.All(noConsent, id => Assert.Contains(last.Bulk.ItemResults, r => r.Target == "tenants/" + id && r.Outcome == "NEEDS_ATTENTION" && r.Reason == "CONSENT_MISSING"));
        Assert.Equal(last, retried);

        // Exactly the tenants that became this partner's, once each.
        var listed = new List<string>();
        var token = string.Empty;
        do
        {
            var page = await fixture.Server.Tenants(fixture.Tokens.Reader(_partner)).ListTenantsAsync(new ListTenantsRequest { PageSize = 100, PageToken = token });
            listed.AddRange(page.Tenants.Select(t => t.TenantId));
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        Assert.Equal(ready.Concat(noConsent).Concat(takenByOthers).Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public async Task A_tenant_approved_while_another_is_still_onboarding_starts_without_waiting_for_it()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => ReadyTenants.AddAsync(fixture.Emulator)));
        var request = new StartBulkOnboardingRequest { RequestId = TestIds.NewRequestId(), MaxParallelism = 8 };
        request.Tenants.AddRange(ids.Select(id => new BulkTenant { TenantId = id, Tenant = ReadyTenants.Create(id).Tenant }));
        var operations = new OperationService.OperationServiceClient(fixture.Server.Unapproved(fixture.Tokens.Writer(_partner)));
        var bulk = new BulkOnboardingService.BulkOnboardingServiceClient(fixture.Server.Unapproved(fixture.Tokens.Writer(_partner)));

        // Every Graph request takes 1.2 s, so the first tenant's onboarding (a read a step) runs for seconds.
        fixture.Emulator.State.Faults.Settings = new FaultSettings { LatencyMs = 1200 };
        var updates = new List<Operation>();
        try
        {
            var started = await bulk.StartBulkOnboardingAsync(request);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            using var watch = operations.WatchOperation(new WatchOperationRequest { Name = started.Operation.Name }, cancellationToken: timeout.Token);
            string? second = null;
            await foreach (var update in watch.ResponseStream.ReadAllAsync(timeout.Token))
            {
                updates.Add(update.Operation);
                var waiting = update.Operation.Bulk.PendingApprovals;
                if (second is null && waiting.Count == 2)
                {
                    // Only the first administrator approves; the second waits until the first tenant is in flight.
                    second = waiting[1].ApprovalUri;
                    await AutoApproval.ApproveOnceAsync(fixture.Emulator, waiting[0].ApprovalUri);
                }
                else if (second is not null && update.Operation.Bulk.Running == 1)
                {
                    await AutoApproval.ApproveOnceAsync(fixture.Emulator, second);
                }
            }
        }
        finally
        {
            fixture.Emulator.State.Faults.Settings = new FaultSettings();
        }

        var last = updates[^1];
        Assert.Equal((Operation.Types.State.Succeeded, 2), (last.State, last.Bulk.Succeeded));
        // The second tenant was taken up while the first was still being onboarded: both were in flight at once.
        Assert.Contains(updates, u => u.Bulk.Running == 2);
    }

    [Fact]
    public async Task A_cancelled_bulk_onboarding_starts_nothing_new_and_ends_cancelled()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ReadyTenants.AddAsync(fixture.Emulator)));
        var request = new StartBulkOnboardingRequest { RequestId = TestIds.NewRequestId(), MaxParallelism = 1 };
        request.Tenants.AddRange(ids.Select(id => new BulkTenant { TenantId = id, Tenant = ReadyTenants.Create(id).Tenant }));

        fixture.Emulator.State.Faults.Settings = new FaultSettings { LatencyMs = 100 };
        try
        {
            var started = await Bulk.StartBulkOnboardingAsync(request);
            var cancelled = await Operations.CancelOperationAsync(new CancelOperationRequest { Name = started.Operation.Name });
            var updates = await Operations.WatchToEndAsync(started.Operation.Name, cancelled.Operation.Version - 1);
            var last = updates[^1];

            Assert.Equal(Operation.Types.State.Cancelled, last.State);
            Assert.True(last.Bulk.Cancelled > 0);
            Assert.Equal(20, last.Bulk.Succeeded + last.Bulk.Cancelled);
        }
        finally
        {
            fixture.Emulator.State.Faults.Settings = new FaultSettings();
        }
    }

    [Fact]
    public async Task A_bulk_request_with_bad_items_names_each_of_them()
    {
        var id = TestIds.NewTenantId();
        var request = new StartBulkOnboardingRequest { MaxParallelism = 100 };
        request.Tenants.Add(new BulkTenant { TenantId = id, Tenant = new Tenant { DisplayName = "a" } });
        request.Tenants.Add(new BulkTenant { TenantId = id, Tenant = new Tenant { DisplayName = "b" } });
        request.Tenants.Add(new BulkTenant { TenantId = "nope", Tenant = new Tenant() });

        var ex = await RpcAssert.Fails(global::Grpc.Core.StatusCode.InvalidArgument, () => Bulk.StartBulkOnboardingAsync(request));
        Assert.Equal(["request_id", "max_parallelism", "tenants[1].tenant_id", "tenants[2].tenant_id", "tenants[2].tenant.display_name"], ex.ViolatedFields());
    }

    [Fact]
    public async Task Only_bulk_operations_can_be_cancelled()
    {
        var created = await fixture.Server.Tenants(fixture.Tokens.Writer(_partner)).CreateTenantAsync(ReadyTenants.Create(TestIds.NewTenantId()));
        var ex = await RpcAssert.Fails(global::Grpc.Core.StatusCode.FailedPrecondition, () => Operations.CancelOperationAsync(new CancelOperationRequest { Name = created.Operation.Name }));
        Assert.Equal("OPERATION_NOT_CANCELLABLE", ex.Reason());
    }
}
