using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using RAOrchestrator.Server.Tests.Infrastructure;
using HealthClient = Grpc.Health.V1.Health.HealthClient;

namespace RAOrchestrator.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class HostTests(ServerFixture fixture)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_healthy_over_http1_without_a_token(string path)
    {
        using var http = new HttpClient();
        var response = await http.GetAsync($"http://127.0.0.1:{fixture.Server.ManagementPort}{path}");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_grpc_health_service_reports_serving_without_a_token()
    {
        var health = new HealthClient(fixture.Server.Channel);
        var response = await health.CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Reflection_lists_the_public_services_without_a_token()
    {
        var reflection = new ServerReflection.ServerReflectionClient(fixture.Server.Channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToArray();
        Assert.Contains("raorchestrator.v1.TenantService", services);
        Assert.Contains("raorchestrator.v1.OperationService", services);
    }
}
