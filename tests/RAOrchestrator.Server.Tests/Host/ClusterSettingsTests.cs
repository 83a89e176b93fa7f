using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using RAOrchestrator.Server.Configuration;

using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>The settings a Kubernetes pod gives the host: its name from the downward API and a bounded shutdown.</summary>
public sealed class ClusterSettingsTests
{
    [Fact]
    public async Task The_pod_name_becomes_the_silo_name_and_the_shutdown_timeout_bounds_the_hosts_stop()
    {
        await using var app = ServerApp.Build([.. MinimalHostArgs.Valid, "--Cluster:SiloName=raorchestrator-7d9f-2", "--Cluster:ShutdownTimeout=00:00:45"]);

        Assert.Equal("raorchestrator-7d9f-2", app.Services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName);
        Assert.Equal(TimeSpan.FromSeconds(45), app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public void A_silo_name_that_is_not_a_pod_name_and_a_shutdown_timeout_out_of_range_are_each_named()
    {
        var ex = Assert.Throws<InvalidConfigurationException>(() => ServerApp.Build([.. MinimalHostArgs.Valid, "--Cluster:SiloName=silo one", "--Cluster:ShutdownTimeout=00:00:01"]));

        Assert.Contains(ex.Errors, e => e.StartsWith("Cluster:SiloName", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Cluster:ShutdownTimeout", StringComparison.Ordinal));
        Assert.Equal(2, ex.Errors.Count);
    }
}
