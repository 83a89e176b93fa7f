using RAOrchestrator.Testing;

namespace RAOrchestrator.Telemetry.Tests.Prometheus;

/// <summary>The shipped Prometheus alert rules and their promtool unit tests.</summary>
public static class AlertRuleFiles
{
    public static string Rules => Path.Combine(RepoPaths.Root, "deploy", "prometheus", "alerts.yml");

    public static string Tests => Path.Combine(RepoPaths.Root, "deploy", "prometheus", "alerts.test.yml");
}
