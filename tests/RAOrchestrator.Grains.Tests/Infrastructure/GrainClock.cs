using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Reminders;

namespace RAOrchestrator.Grains.Tests.Infrastructure;

/// <summary>
/// The grains' clock in the test silo: one <see cref="FakeTimeProvider"/> that the tests move. Grains take it as their
/// <see cref="TimeProvider"/>, and Orleans drives grain timers (<c>RegisterGrainTimer</c>) and <c>IGrainRuntime.TimeProvider</c>
/// from it (the <see cref="TimeProviderNames.Grains"/> clock falls back to the default registration). The runtime's own
/// loops stay on real time, so moving the clock by an hour times out no grain call, declares no silo dead and collects no
/// activation; reminders too, so a reminder registered for a fake deadline minutes away never fires during a test: what a
/// reminder would do is driven through the grain's <c>IRemindable</c> or its next activation.
/// </summary>
internal static class GrainClock
{
    private static readonly string[] RealTimeAreas =
    [
        TimeProviderNames.Messaging,
        TimeProviderNames.SystemTimers,
        TimeProviderNames.Membership,
        TimeProviderNames.ActivationManagement,
        TimeProviderNames.GrainDirectory,
        ReminderTimeProviderNames.Reminders,
    ];

    public static void UseForGrains(this IServiceCollection services, FakeTimeProvider clock)
    {
        services.AddSingleton<TimeProvider>(clock);
        foreach (var area in RealTimeAreas)
        {
            services.AddKeyedSingleton(area, TimeProvider.System);
        }
    }

    /// <summary>
    /// Moves the clock by <paramref name="step"/> until <paramref name="pending"/> ends: for a grain call that waits on the
    /// clock and may not have started waiting yet when the clock first moves (a few real milliseconds between steps).
    /// </summary>
    public static async Task<T> AdvanceUntilAsync<T>(this FakeTimeProvider clock, Task<T> pending, TimeSpan step)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!pending.IsCompleted)
        {
            limit.Token.ThrowIfCancellationRequested();
            clock.Advance(step);
            await Task.WhenAny(pending, Task.Delay(20, limit.Token));
        }

        return await pending;
    }
}
