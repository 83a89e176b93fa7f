namespace RAOrchestrator.Server.Tests.Infrastructure;

public static class TestIds
{
    public static string NewTenantId() => Guid.NewGuid().ToString("D");

    public static string NewPartner() => "partner-" + Guid.NewGuid().ToString("N")[..12];

    public static string NewRequestId() => Guid.NewGuid().ToString("D");
}
