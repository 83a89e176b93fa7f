using System.Collections.Concurrent;
using System.Diagnostics;
using RAOrchestrator.Server.Web;

namespace RAOrchestrator.Web.Tests.Infrastructure;

/// <summary>
/// The page requests' spans as OpenTelemetry would export them: every ASP.NET Core server span the in-process host ends
/// while this listens, read by the page tags (<see cref="PageActions"/>).
/// </summary>
public sealed class PageSpans : IDisposable
{
    private readonly ConcurrentQueue<Activity> _ended = new();
    private readonly ActivityListener _listener;

    public PageSpans()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ended.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The ended page spans of one session, in the order they ended.</summary>
    public IReadOnlyList<Activity> Of(string sessionName) => [.. _ended.Where(s => Tag(s, PageActions.SessionTag) == sessionName)];

    /// <summary>The ended spans of one page action.</summary>
    public IReadOnlyList<Activity> Named(string action) => [.. _ended.Where(s => Tag(s, PageActions.ActionTag) == action)];

    public static string? Tag(Activity span, string tag) => span.GetTagItem(tag) as string;

    /// <summary>Waits (up to 10 s) until a span of <paramref name="action"/> has ended: a long poll's request ends after its page.</summary>
    public async Task<Activity> EndedAsync(string action)
    {
        for (var i = 0; i < 100 && Named(action).Count == 0; i++)
        {
            await Task.Delay(100);
        }

        return Assert.Single(Named(action));
    }

    public void Dispose() => _listener.Dispose();
}
