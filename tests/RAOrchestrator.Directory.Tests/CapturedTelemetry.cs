using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace RAOrchestrator.Directory.Tests;

/// <summary>
/// Everything written while it lives: every span of every source (name, status, tags, events, baggage) and, through
/// <see cref="Logs"/>, every log line of every category at every level with its exception. For tests that prove a secret
/// is never written.
/// </summary>
public sealed class CapturedTelemetry : IDisposable
{
    private readonly ActivityListener _listener;

    public CapturedTelemetry()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => Written.Enqueue(Describe(a)),
        };
        ActivitySource.AddActivityListener(_listener);
        Logs = new CapturingLoggers(Written);
    }

    public ConcurrentQueue<string> Written { get; } = new();

    public ILoggerFactory Logs { get; }

    public void Dispose()
    {
        _listener.Dispose();
        Logs.Dispose();
    }

    private static string Describe(Activity a) =>
        string.Join(' ', [a.Source.Name, a.DisplayName, a.StatusDescription ?? "",
            .. a.TagObjects.Select(t => $"{t.Key}={t.Value}"), .. a.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}")),
            .. a.Baggage.Select(b => $"{b.Key}={b.Value}")]);

    /// <summary>Every category at every level, formatted with its exception.</summary>
    private sealed class CapturingLoggers(ConcurrentQueue<string> written) : ILoggerFactory, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            written.Enqueue($"{formatter(state, exception)} {exception}");

        public void Dispose()
        {
        }
    }
}
