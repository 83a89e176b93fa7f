namespace RAOrchestrator.Cli.Output;

/// <summary><c>--output</c>: tables and progress for people, or JSON for scripts.</summary>
public enum OutputFormat
{
    Table,
    Json,
}
