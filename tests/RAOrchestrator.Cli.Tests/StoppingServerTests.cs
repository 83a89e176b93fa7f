using Grpc.Core;
using RAOrchestrator.Cli.Tests.Infrastructure;
using RAOrchestrator.Client;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Cli.Tests;

/// <summary>
/// A server in its graceful shutdown turns new calls away with HTTP/2 GOAWAY. The client library reports such a call
/// as UNAVAILABLE, so the channel repeats it when the method is safe to repeat (on another process of a balanced
/// address) and a caller of any other method is told to try again, not that the service failed.
/// </summary>
public sealed class StoppingServerTests
{
    [Fact]
    public async Task A_call_a_stopping_server_turned_away_is_UNAVAILABLE_and_the_client_repeats_it_only_when_the_method_is_safe_to_repeat()
    {
        await using var server = new GoingAwayServer();
        using var api = RAOrchestratorClient.Create(new RAOrchestratorClientOptions { Address = server.Address, Plaintext = true, MaxAttempts = 3 });

        var join = await Assert.ThrowsAsync<RpcException>(() => api.Sessions.JoinSessionAsync(
            new JoinSessionRequest { Name = "tenants/t/sessions/s" }, deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync);
        var oneAttempt = server.Requests;
        var read = await Assert.ThrowsAsync<RpcException>(() => api.Tenants.GetTenantAsync(
            new GetTenantRequest { Name = "tenants/t" }, deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync);
        var readAttempts = server.Requests - oneAttempt;

        Assert.Equal((StatusCode.Unavailable, StatusCode.Unavailable), (join.StatusCode, read.StatusCode));
        Assert.Contains(ServerWentAwayException.Summary, read.Status.Detail, StringComparison.Ordinal);
        Assert.IsType<ServerWentAwayException>(read.Status.DebugException?.InnerException);
        Assert.True(oneAttempt > 0, "the join never reached the server");
        Assert.Equal(3 * oneAttempt, readAttempts);
    }
}
