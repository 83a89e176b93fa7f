using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RAOrchestrator.Server.Tests.Infrastructure;

/// <summary>Records every formatted log message of a host (category: message), so a test can check what was logged and what was not.</summary>
public sealed class LogCapture(LogLevel minimum = LogLevel.Information) : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly ConcurrentQueue<string> _exceptions = new();

    public IReadOnlyCollection<string> Messages => _messages;

    /// <summary>The exceptions logged with the messages, as text (type, message, stack).</summary>
    public IReadOnlyCollection<string> Exceptions => _exceptions;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _messages, _exceptions, minimum);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> messages, ConcurrentQueue<string> exceptions, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            messages.Enqueue(category + ": " + formatter(state, exception));
            if (exception is not null)
            {
                exceptions.Enqueue(exception.ToString());
            }
        }
    }
}
