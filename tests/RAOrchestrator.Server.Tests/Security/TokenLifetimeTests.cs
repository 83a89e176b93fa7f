using Grpc.Core;
using Microsoft.Extensions.Logging;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>Auth:MaxTokenLifetime at the host, over gRPC: a token issued for longer than it (or for an unknown time) is refused.</summary>
[Collection(ServerCollection.Name)]
public sealed class TokenLifetimeTests(ServerFixture fixture)
{
    private ServerInstance Server => fixture.Server;
    private Tokens Tokens => fixture.Tokens;

    [Fact]
    public async Task A_token_issued_for_25_hours_is_unauthenticated_under_the_default_maximum_of_24()
    {
        var token = Tokens.Create(TestIds.NewPartner(), [Tokens.WriteRole], lifetime: TimeSpan.FromHours(25));

        var ex = await RpcAssert.Fails(StatusCode.Unauthenticated, () => Server.Tenants(token).ListTenantsAsync(new ListTenantsRequest()));
        Assert.Equal("UNAUTHENTICATED", ex.Reason());
    }

    [Fact]
    public async Task A_token_issued_for_one_hour_is_accepted()
    {
        var token = Tokens.Create(TestIds.NewPartner(), [Tokens.WriteRole], lifetime: TimeSpan.FromHours(1));

        await Server.Tenants(token).ListTenantsAsync(new ListTenantsRequest());
    }

    [Fact]
    public async Task A_token_with_neither_iat_nor_nbf_is_unauthenticated_since_its_lifetime_is_unknown()
    {
        var ex = await RpcAssert.Fails(StatusCode.Unauthenticated, () => Server.Tenants(Tokens.WithoutIssueTime(TestIds.NewPartner())).ListTenantsAsync(new ListTenantsRequest()));
        Assert.Equal("UNAUTHENTICATED", ex.Reason());
    }

    [Fact]
    public async Task A_configured_maximum_is_enforced_and_a_refusal_is_logged_by_setting_without_the_token()
    {
        var logs = new LogCapture();
        await using var server = await ServerInstance.StartAsync(fixture.Azurite, fixture.Emulator, Tokens, "lifetime-" + Guid.NewGuid().ToString("N")[..8],
            new Dictionary<string, string?> { ["Auth:MaxTokenLifetime"] = "02:00:00" },
            builder => builder.Logging.AddProvider(logs));
        var partner = TestIds.NewPartner();
        var tooLong = Tokens.Create(partner, [Tokens.WriteRole], lifetime: TimeSpan.FromHours(3));

        await RpcAssert.Fails(StatusCode.Unauthenticated, () => server.Tenants(tooLong).ListTenantsAsync(new ListTenantsRequest()));
        await server.Tenants(Tokens.Create(partner, [Tokens.WriteRole], lifetime: TimeSpan.FromMinutes(119))).ListTenantsAsync(new ListTenantsRequest());

        var refusal = Assert.Single(logs.Messages, m => m.Contains("Auth:MaxTokenLifetime", StringComparison.Ordinal));
        Assert.Contains(partner, refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(tooLong, StringComparison.Ordinal) || m.Contains(tooLong.Split('.')[2], StringComparison.Ordinal));
    }
}
