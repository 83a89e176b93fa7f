namespace RAOrchestrator.Cli.Connection;

/// <summary>Settings given in several places: the first that is set wins (option, environment, profile).</summary>
internal static class Setting
{
    public static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
