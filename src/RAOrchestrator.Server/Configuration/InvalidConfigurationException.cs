namespace RAOrchestrator.Server.Configuration;

/// <summary>The host refuses to start: every wrong or missing setting is listed by name.</summary>
public sealed class InvalidConfigurationException(IReadOnlyList<string> errors)
    : Exception("RAOrchestrator cannot start; fix these settings (appsettings.json or environment variables, e.g. Auth__Audience):" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
