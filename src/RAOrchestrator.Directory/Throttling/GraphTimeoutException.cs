namespace RAOrchestrator.Directory.Throttling;

/// <summary>Graph gave no answer within an attempt's or the whole request's deadline (<see cref="GraphOptions"/>).</summary>
public sealed class GraphTimeoutException(string message) : TimeoutException(message);
