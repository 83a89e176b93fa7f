namespace RAOrchestrator.Cli.Errors;

/// <summary>A failure raorch itself detects, with the exit code it ends with and what to do about it.</summary>
public sealed class CliException(int exitCode, string message, string? hint = null, IReadOnlyList<string>? details = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
    public string? Hint { get; } = hint;
    public IReadOnlyList<string> Details { get; } = details ?? [];

    public static CliException Usage(string message, string? hint = null, IReadOnlyList<string>? details = null) => new(ExitCodes.Usage, message, hint, details);
}
