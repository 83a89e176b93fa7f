using RAOrchestrator.GraphEmulator;

namespace RAOrchestrator.Testing;

/// <summary>The settings of a host on loopback: Azurite storage, the emulator as Graph, a development token key (hence Demo:Enabled).</summary>
public static class TestServerSettings
{
    public static Dictionary<string, string?> For(
        string storageConnectionString, GraphEmulatorServer emulator, string serviceId,
        int apiPort, int managementPort, int siloPort, int gatewayPort, string issuer, string signingKeyBase64)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Api:Url"] = $"http://127.0.0.1:{apiPort}",
            ["Api:ManagementUrl"] = $"http://127.0.0.1:{managementPort}",
            ["Web:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Web:PassPostsPerMinutePerAddress"] = "1000", // every test client is 127.0.0.1; the limit has a test of its own
            ["Storage:ConnectionString"] = storageConnectionString,
            ["Cluster:ClusterId"] = serviceId + "-cluster",
            ["Cluster:ServiceId"] = serviceId,
            ["Cluster:SiloPort"] = siloPort.ToString(),
            ["Cluster:GatewayPort"] = gatewayPort.ToString(),
            ["Auth:Issuer"] = issuer,
            ["Auth:SigningKey"] = signingKeyBase64,
            // A development key and the emulator's pinned certificate: a demonstration, which a Production host refuses otherwise.
            ["Demo:Enabled"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Sessions:GateUrl"] = "https://join.partner.example/remote-assist",
            ["Sessions:InvitationKey"] = "dGVzdC1pbnZpdGF0aW9uLWtleS0zMi1ieXRlcy0wMDA=",

            // Load tests and benchmarks drive one partner far past a production budget; the limit tests set their own.
            ["RateLimits:Default:RequestsPerSecond"] = "100000",
            ["RateLimits:Default:Burst"] = "1000000",
            ["RateLimits:MaxStreamsPerPartner"] = "100000",
            ["RateLimits:MaxRunningBulkOperationsPerPartner"] = "1000",

            // Graph's refusals without a Retry-After are retried after 20 ms to 1 s instead of 0.2 to 10 s: a test that
            // waits for the retries to run out waits seconds, not half a minute.
            ["Graph:RetryDelay"] = "00:00:00.020",
            ["Graph:MaxRetryDelay"] = "00:00:01",
        };
        foreach (var (key, value) in TestEmulator.GraphSettings(emulator))
        {
            settings[key] = value;
        }

        return settings;
    }
}
