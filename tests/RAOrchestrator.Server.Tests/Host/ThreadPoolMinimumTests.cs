using RAOrchestrator.Server.Configuration;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>Runtime:MinWorkerThreads: a host on one CPU does not start with a single worker thread.</summary>
public sealed class ThreadPoolMinimumTests
{
    [Fact]
    public void Building_the_host_raises_the_thread_pools_minimum_of_worker_threads_to_the_setting()
    {
        // Above the default and this machine's processor count, so only the host can have set it.
        var wanted = Math.Max(new RuntimeOptions().MinWorkerThreads, Environment.ProcessorCount) + 7;

        using var app = (IDisposable)ServerApp.Build([.. MinimalHostArgs.Valid, $"--Runtime:MinWorkerThreads={wanted}"]);

        ThreadPool.GetMinThreads(out var workers, out _);
        Assert.True(workers >= wanted, $"the pool's minimum is {workers}, not at least {wanted}");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1025")]
    public void A_minimum_outside_1_to_1024_is_refused_by_name(string value)
    {
        var ex = Assert.Throws<InvalidConfigurationException>(() => ServerApp.Build([.. MinimalHostArgs.Valid, "--Runtime:MinWorkerThreads=" + value]));

        Assert.StartsWith("Runtime:MinWorkerThreads", Assert.Single(ex.Errors), StringComparison.Ordinal);
    }
}
