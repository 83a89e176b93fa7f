using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// A bulk onboarding whose accounts Graph's write budget serves slower than it could start them: the coordinator holds
/// back what it cannot have served in time, instead of leaving calls queued until the grain-call timeout.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class BulkFlowControlTests(ServerFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Accounts_beyond_what_the_graph_write_budget_serves_in_time_wait_at_the_coordinator_and_no_account_call_times_out()
    {
        // 200 accounts against 20 writes (10 accounts) a second: 20 s of writes or more, where each account call may
        // take 8 s. Started as their tenants finish onboarding, most would wait past that. Paced, at most what the
        // budget serves in 8 / 3 s is in flight (26 accounts).
        var logs = new LogCapture(LogLevel.Warning);
        var partner = TestIds.NewPartner();
        await using var server = await ServerInstance.StartAsync(fixture.Azurite, fixture.Emulator, fixture.Tokens, "flow-" + Guid.NewGuid().ToString("N")[..8],
            new Dictionary<string, string?>
            {
                ["Graph:Budgets:AppWritesPer5Minutes"] = "20",
                ["Graph:Budgets:WindowScale"] = (1.0 / 300).ToString(CultureInfo.InvariantCulture),
                ["Graph:Budgets:Safety"] = "1",
            },
            builder =>
            {
                builder.Services.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(8));
                builder.Logging.AddProvider(logs);
            });
        var ids = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => ReadyTenants.AddAsync(fixture.Emulator)));
        var request = new StartBulkOnboardingRequest { RequestId = TestIds.NewRequestId(), MaxParallelism = 64 };
        request.Tenants.AddRange(ids.Select(id => BulkServiceAccountTests.Tenant(id)));

        var bulk = new BulkOnboardingService.BulkOnboardingServiceClient(server.Invoker(fixture.Tokens.Writer(partner)));
        var started = await bulk.StartBulkOnboardingAsync(request);
        var last = (await server.Operations(fixture.Tokens.Reader(partner)).WatchToEndAsync(started.Operation.Name, within: TimeSpan.FromMinutes(3)))[^1];

        var late = logs.Messages.Where(m => m.Contains("IServiceAccountGrain.CreateAsync", StringComparison.Ordinal)).ToArray();
        foreach (var message in late.Take(3))
        {
            output.WriteLine(message[..Math.Min(400, message.Length)]);
        }

        Assert.Equal(200, last.Bulk.Accounts.Succeeded);
        Assert.Empty(late);
    }
}
