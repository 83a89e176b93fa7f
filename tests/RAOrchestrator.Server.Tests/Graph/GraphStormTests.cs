using System.Diagnostics;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RAOrchestrator.Server.Tests;

/// <summary>Graph answers 30 % of requests 429 and 10 % 5xx while bulk onboarding runs.</summary>
[Collection(ServerCollection.Name)]
public sealed class GraphStormTests(ServerFixture fixture, ITestOutputHelper output)
{
    private const int Tenants = 16;

    /// <summary>A request arriving this soon after the answer that told its tenant to wait was already on the wire.</summary>
    private static readonly TimeSpan InFlight = TimeSpan.FromMilliseconds(20);

    private readonly string _partner = TestIds.NewPartner();

    [Fact]
    public async Task Bulk_onboarding_in_a_Graph_storm_slows_down_finishes_and_sends_nothing_before_a_Retry_After()
    {
        var calm = await OnboardAsync();
        output.WriteLine($"calm: {Tenants} tenants in {calm.Elapsed.TotalSeconds:F1} s");

        var log = fixture.Emulator.State.Requests;
        log.Clear();
        fixture.Emulator.State.Faults.Settings = new FaultSettings
        {
            Forced429Rate = 0.30,
            Forced429RetryAfterSeconds = 1,
            ServiceUnavailableRate = 0.05,
            GatewayTimeoutRate = 0.05,
            Seed = 7,
        };
        (Operation Operation, TimeSpan Elapsed) storm;
        try
        {
            storm = await OnboardAsync();
        }
        finally
        {
            fixture.Emulator.State.Faults.Settings = new FaultSettings();
        }

        var requests = log.Snapshot().Where(r => !r.Inner).ToArray();
        var throttled = requests.Count(r => r.Status == 429);
        var failed5xx = requests.Count(r => r.Status >= 500);
        output.WriteLine($"storm: {Tenants} tenants in {storm.Elapsed.TotalSeconds:F1} s; {requests.Length} Graph requests, {throttled} answered 429, {failed5xx} 5xx");

        // It finished: every tenant active or failed with a reason, none left pending or running.
        var bulk = storm.Operation.Bulk;
        Assert.Equal(Operation.Types.State.Succeeded, storm.Operation.State);
        Assert.Equal(Tenants, bulk.Total);
        Assert.Equal(0, bulk.Pending + bulk.Running);
        Assert.All(bulk.ItemResults, r => Assert.False(string.IsNullOrEmpty(r.Reason)));
        Assert.True(bulk.Succeeded >= Tenants - 1, $"only {bulk.Succeeded} of {Tenants} succeeded: {string.Join(", ", bulk.ItemResults.Select(r => r.Reason))}");

        // The storm really happened, and it slowed the work down.
        Assert.InRange(throttled / (double)requests.Length, 0.2, 0.4);
        Assert.True(failed5xx > 0);
        Assert.True(storm.Elapsed > calm.Elapsed, $"storm {storm.Elapsed} was not slower than calm {calm.Elapsed}");

        // Nothing went to a tenant before the Retry-After it had been given.
        var early = log.EarlyRequests(InFlight);
        Assert.True(early.Count == 0, string.Join(Environment.NewLine, early.Take(5).Select(e =>
            $"{e.Request.Endpoint} arrived {(e.Request.Arrived - e.Told.Answered).TotalMilliseconds:F0} ms after {e.Told.Status} with Retry-After {e.Told.RetryAfterSeconds} s")));
    }

    private async Task<(Operation Operation, TimeSpan Elapsed)> OnboardAsync()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, Tenants).Select(_ => ReadyTenants.AddAsync(fixture.Emulator)));
        var request = new StartBulkOnboardingRequest { RequestId = TestIds.NewRequestId(), MaxParallelism = 8 };
        request.Tenants.AddRange(ids.Select(id => new BulkTenant { TenantId = id, Tenant = ReadyTenants.Create(id).Tenant }));
        var bulk = new BulkOnboardingService.BulkOnboardingServiceClient(fixture.Server.Invoker(fixture.Tokens.Writer(_partner)));
        var clock = Stopwatch.StartNew();
        var started = await bulk.StartBulkOnboardingAsync(request);
        var updates = await fixture.Server.Operations(fixture.Tokens.Reader(_partner)).WatchToEndAsync(started.Operation.Name);
        return (updates[^1], clock.Elapsed);
    }
}
