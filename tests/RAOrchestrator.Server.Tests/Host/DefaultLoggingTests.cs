using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>The log levels the host ships with (its appsettings.json): what an operator reads is about the service, not a line per grain placed.</summary>
[Collection(ServerCollection.Name)]
public sealed class DefaultLoggingTests(ServerFixture fixture)
{
    [Fact]
    public async Task Placing_grains_writes_no_information_lines_from_the_placements_resilience_pipeline()
    {
        var logs = new LogCapture();
        // The test settings quiet every host down to warnings; this one logs at the level the host ships with.
        var shipped = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build()["Logging:LogLevel:Default"];
        await using var server = await ServerInstance.StartAsync(fixture.Azurite, fixture.Emulator, fixture.Tokens, "logging-" + Guid.NewGuid().ToString("N")[..8],
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = shipped },
            builder => builder.Logging.AddProvider(logs));

        // Each partner is a grain of its own, so each call below places one.
        for (var i = 0; i < 5; i++)
        {
            await server.Tenants(fixture.Tokens.Create(TestIds.NewPartner(), [Tokens.WriteRole])).ListTenantsAsync(new ListTenantsRequest());
        }

        Assert.Contains(logs.Messages, m => m.StartsWith("Orleans.Hosting.SiloHostedService", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.StartsWith("Polly", StringComparison.Ordinal));
    }
}
