using Grpc.Net.Client;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.Telemetry.Tests.Otlp;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Telemetry.Tests.Infrastructure;

/// <summary>
/// Azurite, the Graph emulator, the OTLP receiver and the server process exporting to it (every 500 ms), with
/// the operator scenario run once; the tests then read what arrived.
/// </summary>
public sealed class ExportedTelemetryFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;
    private GraphEmulatorServer? _emulator;
    private ServerUnderTest? _server;

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
        settings["Logging:LogLevel:Default"] = "Information";
        settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Information";
        _server = await ServerUnderTest.StartAsync(settings, managementPort);

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{apiPort}");
        try
        {
            Facts = await OperatorScenario.RunAsync(channel, _emulator, tokens.Writer("telemetry-msp"));

            // Two whole export intervals after the scenario: what the tests read is the scenario's final count.
            var exports = Received.MetricExports;
            await Received.WaitForAsync("two metric exports after the scenario", r => r.MetricExports >= exports + 2 ? r : null);
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
