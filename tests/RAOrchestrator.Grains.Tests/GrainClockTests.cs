using Microsoft.Extensions.DependencyInjection;
using Orleans.Reminders;

namespace RAOrchestrator.Grains.Tests;

/// <summary>The test silo's clocks: the grains' is the one the tests move, the runtime's own loops and reminders keep real time.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class GrainClockTests(GrainCluster cluster)
{
    [Fact]
    public void Grains_and_their_timers_get_the_test_clock_and_the_runtime_and_reminders_keep_real_time()
    {
        var services = cluster.SiloServices;

        Assert.Same(cluster.Clock, services.GetRequiredService<TimeProvider>());
        Assert.Same(cluster.Clock, services.GetRequiredKeyedService<TimeProvider>(TimeProviderNames.Grains));
        Assert.Same(cluster.Clock, services.GetRequiredService<IGrainRuntime>().TimeProvider);
        Assert.All(
            [TimeProviderNames.Messaging, TimeProviderNames.Membership, TimeProviderNames.SystemTimers, TimeProviderNames.ActivationManagement, ReminderTimeProviderNames.Reminders],
            area => Assert.Same(TimeProvider.System, services.GetRequiredKeyedService<TimeProvider>(area)));
    }
}
