using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using RAOrchestrator.Abstractions.Indexes;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Grains.Bulk;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// Grain state stays under Azure Table's entity limit (real Orleans, Azurite table storage): logs that remember
/// answers are bounded in bytes, not only in entries, so a grain can always be written again.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class StateBoundTests(ServerFixture fixture)
{
    private const int MaxAllowList = 1000;
    private readonly string _partner = TestIds.NewPartner();
    private TenantService.TenantServiceClient Tenants => fixture.Server.Tenants(fixture.Tokens.Writer(_partner));

    [Fact]
    public async Task A_tenant_takes_many_updates_carrying_the_largest_allow_list_and_still_answers_retries()
    {
        var created = await Tenants.CreateTenantAsync(ReadyTenants.Create(await ReadyTenants.AddAsync(fixture.Emulator, consent: false)));
        UpdateTenantResponse? last = null;
        UpdateTenantRequest? lastRequest = null;

        // 1,000 ids of 36 characters: each answer remembered for a retry is ~38 KB, so 60 of them are ~2.3 MB.
        for (var round = 0; round < 60; round++)
        {
            lastRequest = new UpdateTenantRequest
            {
                RequestId = TestIds.NewRequestId(),
                Tenant = new Tenant { Name = created.Tenant.Name, ExternalAccessAllowedTenants = { AllowList() } },
                UpdateMask = new FieldMask { Paths = { "external_access_allowed_tenants" } },
            };
            last = await Tenants.UpdateTenantAsync(lastRequest);
        }

        var replay = await Tenants.UpdateTenantAsync(lastRequest!);
        Assert.Equal(last!.Tenant, replay.Tenant);
        var renamed = await Tenants.UpdateTenantAsync(new UpdateTenantRequest
        {
            RequestId = TestIds.NewRequestId(),
            Tenant = new Tenant { Name = created.Tenant.Name, DisplayName = "Still writable" },
            UpdateMask = new FieldMask { Paths = { "display_name" } },
        });
        Assert.Equal("Still writable", renamed.Tenant.DisplayName);
    }

    [Fact]
    public async Task A_bulk_whose_tenants_carry_allow_lists_larger_than_one_row_starts_and_can_be_cancelled()
    {
        // 260 tenants with 100 allow-listed tenants each: ~1 MB of settings, under the request limit but over one row.
        var request = new StartBulkOnboardingRequest { RequestId = TestIds.NewRequestId(), MaxParallelism = 1 };
        request.Tenants.AddRange(Enumerable.Range(0, 260).Select(_ =>
        {
            var id = TestIds.NewTenantId();
            var tenant = ReadyTenants.Create(id).Tenant;
            tenant.ExternalAccessAllowedTenants.AddRange(AllowList().Take(100));
            return new BulkTenant { TenantId = id, Tenant = tenant };
        }));
        var bulk = new BulkOnboardingService.BulkOnboardingServiceClient(fixture.Server.Invoker(fixture.Tokens.Writer(_partner)));

        var started = await bulk.StartBulkOnboardingAsync(request);

        Assert.Equal(260, started.Operation.Bulk.Total);
        var operations = fixture.Server.Operations(fixture.Tokens.Writer(_partner));
        await operations.CancelOperationAsync(new CancelOperationRequest { Name = started.Operation.Name });
        var last = (await operations.WatchToEndAsync(started.Operation.Name))[^1];
        Assert.Equal(Operation.Types.State.Cancelled, last.State);
    }

    [Fact]
    public async Task A_barrier_configuration_grows_to_its_bound_then_a_larger_one_is_refused_naming_the_bound_and_smaller_changes_still_work()
    {
        var tenant = (await Tenants.CreateTenantAsync(ReadyTenants.Create(await ReadyTenants.AddAsync(fixture.Emulator, consent: false)))).Tenant.Name;
        var barriers = new BarrierService.BarrierServiceClient(fixture.Server.Invoker(fixture.Tokens.Writer(_partner)));
        RpcException? refused = null;
        var created = 0;

        // Segments with ~4 KB filters, each with a request id (its answer, a snapshot of the whole configuration, is kept for a retry).
        for (var n = 0; n < 80 && refused is null; n++)
        {
            var request = new CreateSegmentRequest
            {
                RequestId = TestIds.NewRequestId(),
                Parent = tenant,
                SegmentId = $"s{n}",
                Segment = new Segment { UserGroupFilter = $"Department -eq '{new string((char)('a' + n % 26), 4000)}'" },
            };
            try
            {
                await barriers.CreateSegmentAsync(request);
                created++;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
            {
                refused = ex;
            }
        }

        Assert.NotNull(refused);
        Assert.True(created >= 40, $"the bound is 192 KiB of configuration: {created} segments of ~4 KB fit");
        var info = refused!.GetRpcStatus()!.GetDetail<ErrorInfo>()!;
        Assert.Equal(("BARRIER_CONFIGURATION_TOO_LARGE", "barrier_configuration", (192 * 1024).ToString(CultureInfo.InvariantCulture)), (info.Reason, info.Metadata["bound"], info.Metadata["limit"]));
        await barriers.DeleteSegmentAsync(new DeleteSegmentRequest { RequestId = TestIds.NewRequestId(), Name = $"{tenant}/segments/s0" });
        await barriers.CreateSegmentAsync(new CreateSegmentRequest { RequestId = TestIds.NewRequestId(), Parent = tenant, SegmentId = "small", Segment = new Segment { UserGroupFilter = "Department -eq 'Small'" } });
    }

    [Fact]
    public void The_bulk_coordinator_and_its_results_with_the_contracts_largest_bulk_and_every_message_and_path_they_keep_fit_their_bounds()
    {
        var serializer = fixture.Server.Services.GetRequiredService<Serializer>();
        var items = Enumerable.Range(0, 5_000).Select(n => new BulkItemState
        {
            TenantId = Guid.NewGuid().ToString("D"),
            Status = BulkItemStatus.NeedsAttention,
            Reason = new string('R', 40),
            Message = n < 1_000 ? new string('m', BulkOnboardingGrain.MaxStoredMessageLength) : string.Empty,
            ApprovalPath = n < 1_000 ? $"tenant-approval/{Guid.NewGuid():D}/{Guid.NewGuid():N}" : null,
            Attempts = 5,
            PlanPart = 4_999,
            Accounts = 100,
            AccountsSucceeded = 100,
            AccountsFailed = 100,
            AccountsCancelled = 100,
            AccountsStarted = true,
        }).ToList();
        var coordinator = new BulkOnboardingState { Exists = true, PartnerId = new string('p', 64), MaxParallelism = 64, Items = items };

        // Messages are 1,000 in all: the worst is every one on an account failure (their targets are the longest).
        var results = new Abstractions.Bulk.BulkResults(
            new Dictionary<string, string>(),
            items.Where(i => i.ApprovalPath is not null).ToDictionary(i => i.TenantId, i => i.ApprovalPath!),
            Enumerable.Range(0, 1_000).Select(_ => new Abstractions.Operations.BulkItemResult(
                $"tenants/{Guid.NewGuid():D}/serviceAccounts/{new string('s', 63)}", "FAILED", new string('R', 40), new string('m', BulkOnboardingGrain.MaxStoredMessageLength))).ToArray());

        var (coordinatorBytes, resultsBytes) = (serializer.SerializeToArray(coordinator).Length, serializer.SerializeToArray(new BulkResultsState { Results = results }).Length);

        Assert.True(coordinatorBytes <= BulkOnboardingGrain.MaxStateBytes, $"coordinator: {coordinatorBytes:N0} bytes");
        Assert.True(resultsBytes <= BulkResultsState.MaxStateBytes, $"results: {resultsBytes:N0} bytes");
    }

    [Fact]
    public async Task A_session_index_takes_twenty_thousand_ids_and_pages_through_them_in_order()
    {
        var index = fixture.Server.Services.GetRequiredService<IGrainFactory>().GetGrain<IKeyIndexGrain>($"tenants/{TestIds.NewTenantId()}/sessionIndex");
        var ids = Enumerable.Range(0, 20_000).Select(n => $"{n:D6}-{new string('s', 56)}").ToArray();

        // 20,000 ids of 63 characters are ~1.3 MB: more than one row holds. Added in a shuffled order, as sessions come.
        foreach (var chunk in ids.OrderBy(id => id.GetHashCode(StringComparison.Ordinal)).Chunk(1_000))
        {
            await index.AddRangeAsync(chunk);
        }

        await index.RemoveAsync(ids[7]);
        var listed = new List<string>();
        string? after = null;
        KeyPage page;
        do
        {
            page = await index.ListAsync(after, 1_000);
            listed.AddRange(page.Keys);
            after = page.Keys.Count > 0 ? page.Keys[^1] : after;
        }
        while (page.HasMore);

        Assert.Equal(ids.Where((_, n) => n != 7), listed);
    }

    [Fact]
    public async Task A_change_that_would_pass_the_state_net_is_refused_naming_it_and_leaves_the_stored_state_as_it_was()
    {
        var page = fixture.Server.Services.GetRequiredService<IGrainFactory>().GetGrain<IKeyIndexPageGrain>($"tenants/{TestIds.NewTenantId()}/sessionIndex/pages/0");
        await page.AddAsync(["kept"]);

        // 12,000 keys of 63 characters: ~790 KB in one write, over the 720 KiB net (a page is normally split at 2,000).
        var refused = await Assert.ThrowsAsync<OrchestratorException>(() => page.AddAsync(Enumerable.Range(0, 12_000).Select(n => $"{n:D6}-{new string('k', 56)}").ToArray()));

        Assert.Equal((ErrorKind.ResourceExhausted, "STATE_LIMIT_REACHED"), (refused.Kind, refused.Reason));
        Assert.Equal((720 * 1024).ToString(CultureInfo.InvariantCulture), refused.Metadata!["limit"]);
        Assert.Equal(["kept"], await page.ListAsync(null, null, 100));
    }

    private static IEnumerable<string> AllowList() => Enumerable.Range(0, MaxAllowList).Select(_ => Guid.NewGuid().ToString("D"));
}
