using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// Per-partner limits (RateLimits), each on a host of its own with small limits: one partner over its request rate,
/// its streams or its bulk onboardings is refused RESOURCE_EXHAUSTED while another partner on the same host is served.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class PartnerLimitTests(ServerFixture fixture)
{
    private Tokens Tokens => fixture.Tokens;

    [Fact]
    public async Task A_partner_over_its_request_rate_is_refused_with_a_retry_delay_while_another_partner_is_served_at_once()
    {
        await using var host = await StartAsync(new() { ["RateLimits:Default:RequestsPerSecond"] = "5", ["RateLimits:Default:Burst"] = "5" });
        var busy = Tenants(host, TestIds.NewPartner());
        var quiet = Tenants(host, TestIds.NewPartner());

        var refused = await SpendAsync(busy, calls: 50);

        Assert.NotNull(refused);
        Assert.Equal(StatusCode.ResourceExhausted, refused!.StatusCode);
        Assert.Equal("PARTNER_RATE_LIMITED", refused.Reason());
        var delay = refused.RetryDelay();
        Assert.True(delay > TimeSpan.Zero && delay <= TimeSpan.FromSeconds(1), $"retry delay {delay}");
        await quiet.ListTenantsAsync(new ListTenantsRequest());

        // A timer refills the bucket: allow it a moment past the delay on a busy machine.
        await Task.Delay(delay!.Value + TimeSpan.FromMilliseconds(50));
        await busy.ListTenantsAsync(new ListTenantsRequest());
    }

    [Fact]
    public async Task A_per_partner_override_raises_that_partners_budget_only()
    {
        var big = TestIds.NewPartner();
        await using var host = await StartAsync(new()
        {
            ["RateLimits:Default:RequestsPerSecond"] = "5",
            ["RateLimits:Default:Burst"] = "5",
            [$"RateLimits:Partners:{big}:Burst"] = "100",
        });

        Assert.Null(await SpendAsync(Tenants(host, big), calls: 30));
        Assert.Equal("PARTNER_RATE_LIMITED", (await SpendAsync(Tenants(host, TestIds.NewPartner()), calls: 30))?.Reason());
    }

    [Fact]
    public async Task A_partner_at_its_stream_cap_is_refused_a_new_watch_until_one_of_its_streams_ends()
    {
        var partner = TestIds.NewPartner();
        await using var host = await StartAsync(new() { ["RateLimits:MaxStreamsPerPartner"] = "2" });
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var claim = await new TenantService.TenantServiceClient(host.Unapproved(Tokens.Writer(partner))).CreateTenantAsync(ReadyTenants.Create(tenantId));
        var operations = new OperationService.OperationServiceClient(host.Unapproved(Tokens.Reader(partner)));
        var watch = new WatchOperationRequest { Name = claim.Operation.Name };

        // The claim waits for an administrator, so its watches stay open.
        using var first = operations.WatchOperation(watch);
        using var second = operations.WatchOperation(watch);
        Assert.True(await first.ResponseStream.MoveNext());
        Assert.True(await second.ResponseStream.MoveNext());

        var refused = await RpcAssert.Fails(StatusCode.ResourceExhausted, () => FirstUpdateAsync(operations, watch));
        Assert.Equal("PARTNER_STREAM_LIMIT", refused.Reason());

        first.Dispose();
        await Eventually(() => FirstUpdateAsync(operations, watch));
    }

    [Fact]
    public async Task A_partner_at_its_bulk_cap_is_refused_a_new_bulk_but_its_retry_is_answered_and_another_partner_may_start_one()
    {
        await using var host = await StartAsync(new() { ["RateLimits:MaxRunningBulkOperationsPerPartner"] = "1" });
        var partner = TestIds.NewPartner();
        var bulks = Bulks(host, partner);

        // Claims nobody approves: the bulk stays running, awaiting approval.
        var first = await BulkAsync();
        var started = await bulks.StartBulkOnboardingAsync(first);

        var refused = await RpcAssert.Fails(StatusCode.ResourceExhausted, async () => await bulks.StartBulkOnboardingAsync(await BulkAsync()));
        Assert.Equal("PARTNER_BULK_LIMIT", refused.Reason());
        Assert.Equal(started.Operation.Name, (await bulks.StartBulkOnboardingAsync(first)).Operation.Name);
        await Bulks(host, TestIds.NewPartner()).StartBulkOnboardingAsync(await BulkAsync());

        // Once the first is done (cancelled), the partner may start another.
        await new OperationService.OperationServiceClient(host.Unapproved(Tokens.Writer(partner))).CancelOperationAsync(new CancelOperationRequest { Name = started.Operation.Name });
        await Eventually(async () => await bulks.StartBulkOnboardingAsync(await BulkAsync()));
    }

    private async Task<StartBulkOnboardingRequest> BulkAsync()
    {
        var request = new StartBulkOnboardingRequest { RequestId = TestIds.NewRequestId() };
        foreach (var id in await Task.WhenAll(ReadyTenants.AddAsync(fixture.Emulator), ReadyTenants.AddAsync(fixture.Emulator)))
        {
            request.Tenants.Add(new BulkTenant { TenantId = id, Tenant = ReadyTenants.Create(id).Tenant });
        }

        return request;
    }

    private Task<ServerInstance> StartAsync(Dictionary<string, string?> limits) =>
        ServerInstance.StartAsync(fixture.Azurite, fixture.Emulator, Tokens, "limits-" + Guid.NewGuid().ToString("N")[..8], limits);

    private TenantService.TenantServiceClient Tenants(ServerInstance host, string partner) => new(host.Unapproved(Tokens.Reader(partner)));

    private BulkOnboardingService.BulkOnboardingServiceClient Bulks(ServerInstance host, string partner) => new(host.Unapproved(Tokens.Writer(partner)));

    /// <summary>Up to <paramref name="calls"/> calls in a row; the first refusal, or null when every one was served.</summary>
    private static async Task<RpcException?> SpendAsync(TenantService.TenantServiceClient tenants, int calls)
    {
        for (var i = 0; i < calls; i++)
        {
            try
            {
                await tenants.ListTenantsAsync(new ListTenantsRequest());
            }
            catch (RpcException ex)
            {
                return ex;
            }
        }

        return null;
    }

    private static async Task FirstUpdateAsync(OperationService.OperationServiceClient operations, WatchOperationRequest watch)
    {
        using var call = operations.WatchOperation(watch);
        Assert.True(await call.ResponseStream.MoveNext());
    }

    /// <summary>Retries <paramref name="action"/> while it fails with RESOURCE_EXHAUSTED, for up to 10 s: a release reaches the limit a moment after the client lets go.</summary>
    private static async Task Eventually(Func<Task> action)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                await action();
                return;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
