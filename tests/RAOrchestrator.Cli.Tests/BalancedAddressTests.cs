using RAOrchestrator.Cli.Tests.Infrastructure;
using RAOrchestrator.Client;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Cli.Tests;

/// <summary>
/// A dns:/// address goes through the client's own DNS resolver and round-robin balancer, over TLS with the pin. On
/// this machine <c>localhost</c> resolves to 127.0.0.1 only, so this proves the production path for dns:///;
/// the spread over several processes is proven with a static:/// address in Server.Tests' ClusterTests.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class BalancedAddressTests(CliFixture fixture)
{
    private readonly string _partner = Tenants.NewPartner();

    [Fact]
    public async Task The_client_library_and_raorch_reach_the_service_through_a_dns_address_over_pinned_tls()
    {
        var tenant = await Tenants.OnboardAsync(fixture, _partner);
        var dns = $"dns:///localhost:{new Uri(fixture.Address).Port}";
        using var api = RAOrchestratorClient.Create(dns, new StaticTokenProvider(fixture.Token(_partner)), fixture.CertificateSha256);
        using var cli = new CliRunner(fixture, fixture.Token(_partner)) { [EnvironmentVariables.Address] = dns };

        var read = (await api.Tenants.GetTenantAsync(new GetTenantRequest { Name = tenant })).Tenant;
        var listed = await cli.RunAsync("tenants", "list");

        Assert.Equal(tenant, read.Name);
        Assert.True(listed.ExitCode == ExitCodes.Ok, listed.ToString());
        Assert.Contains(tenant, listed.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dns_address_uses_tls_so_without_the_pin_the_self_signed_certificate_is_refused()
    {
        var dns = $"dns:///localhost:{new Uri(fixture.Address).Port}";
        using var api = RAOrchestratorClient.Create(new RAOrchestratorClientOptions { Address = dns, Tokens = new StaticTokenProvider(fixture.Token(_partner)), MaxAttempts = 1 });

        var ex = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await api.Tenants.ListTenantsAsync(new ListTenantsRequest(), deadline: DateTime.UtcNow.AddSeconds(10)));

        var causes = new List<Exception>();
        for (var cause = ex.Status.DebugException; cause is not null; cause = cause.InnerException)
        {
            causes.Add(cause);
        }

        Assert.Contains(causes, c => c is System.Security.Authentication.AuthenticationException);
    }
}
