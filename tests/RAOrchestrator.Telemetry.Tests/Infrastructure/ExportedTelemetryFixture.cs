using Grpc.Net.Client;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.Telemetry.Tests.Otlp;
using RAOrchestrator.Telemetry.Tests.Prometheus;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Telemetry.Tests.Infrastructure;

/// <summary>
/// Azurite, the Graph emulator, the OTLP receiver and the server process exporting to it (every 500 ms), with
/// the operator scenario run once; the tests then read what arrived. The server also serves <c>/metrics</c> on its
/// management port, scraped every second by a real Prometheus that evaluates the shipped alert rules; after the
/// OTLP side is frozen the scenario runs once more, for Prometheus' rates.
/// </summary>
public sealed class ExportedTelemetryFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;
    private GraphEmulatorServer? _emulator;
    private ServerUnderTest? _server;

    public PrometheusServer Prometheus { get; private set; } = null!;
    public int ApiPort { get; private set; }
    public int ManagementPort { get; private set; }
    public int WebPort { get; private set; }

    public OtlpReceiver Receiver { get; private set; } = null!;
    public ReceivedTelemetry Received => Receiver.Received;
    public ScenarioFacts Facts { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync();
        _emulator = await TestEmulator.StartAsync();
        Receiver = await OtlpReceiver.StartAsync();
        var tokens = new PartnerTokens();
        var (apiPort, managementPort) = (FreePort.Next(), FreePort.Next());
        var settings = TestServerSettings.For(
            _azurite.ConnectionString, _emulator, "telemetry", apiPort, managementPort, FreePort.Next(), FreePort.Next(), PartnerTokens.Issuer, tokens.SigningKeyBase64);
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = Receiver.Endpoint.ToString();
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
        settings["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
        settings["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        settings["OTEL_BLRP_SCHEDULE_DELAY"] = "200";
        settings["Telemetry:PrometheusEndpoint"] = "true";
        settings["Logging:LogLevel:Default"] = "Information";
        settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Information";
        (ApiPort, ManagementPort, WebPort) = (apiPort, managementPort, new Uri(settings["Web:Url"]!).Port);
        Prometheus = await PrometheusServer.StartAsync(managementPort, AlertRuleFiles.Rules);
        _server = await ServerUnderTest.StartAsync(settings, managementPort);

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{apiPort}");
        try
        {
            Facts = await OperatorScenario.RunAsync(channel, _emulator, tokens.Writer("telemetry-msp"));

            // Two whole export intervals after the scenario: what the tests read is the scenario's final count.
            var exports = Received.MetricExports;
            await Received.WaitForAsync("two metric exports after the scenario", r => r.MetricExports >= exports + 2 ? r : null);
            await Received.WaitForAsync("the active sessions counted from storage", r => r.Latest("raorchestrator.sessions.active").FirstOrDefault(p => p.Value > 0));
            Received.Freeze();

            // A second wave of the same load, seen by Prometheus only: a series is born at its first value, so a rate
            // (and a histogram quantile) needs an increase after a scrape has seen the series.
            await Prometheus.WaitForScrapesAsync(1, TimeSpan.FromSeconds(20));
            await OperatorScenario.RunAsync(channel, _emulator, tokens.Writer("telemetry-msp"));
            await Prometheus.WaitForScrapesAsync(2, TimeSpan.FromSeconds(20));
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"The scenario failed: {ex.Message}{Environment.NewLine}Server output:{Environment.NewLine}{_server.Output}", ex);
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (Prometheus is not null)
        {
            await Prometheus.DisposeAsync();
        }

        if (Receiver is not null)
        {
            await Receiver.DisposeAsync();
        }

        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ExportedTelemetryCollection : ICollectionFixture<ExportedTelemetryFixture>
{
    public const string Name = "exported telemetry";
}
