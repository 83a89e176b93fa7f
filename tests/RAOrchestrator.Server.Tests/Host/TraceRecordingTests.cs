using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using RAOrchestrator.Server.Configuration;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>Spans are made only when something receives them (Telemetry:Traces, auto by default).</summary>
public sealed class TraceRecordingTests
{
    [Fact]
    public async Task Without_an_exporter_the_host_makes_no_spans_and_grain_calls_pass_no_tracing_filter()
    {
        await using var app = ServerApp.Build(MinimalHostArgs.Valid);

        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.Empty(app.Services.GetServices<IOutgoingGrainCallFilter>());
        Assert.DoesNotContain(app.Services.GetServices<IIncomingGrainCallFilter>(), IsTracing);
    }

    [Fact]
    public async Task With_an_otlp_endpoint_the_host_records_spans_and_grain_calls_pass_the_tracing_filters()
    {
        await using var app = ServerApp.Build([.. MinimalHostArgs.Valid, "--OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:1"]);

        Assert.NotNull(app.Services.GetService<TracerProvider>());
        Assert.NotEmpty(app.Services.GetServices<IOutgoingGrainCallFilter>());
        Assert.Contains(app.Services.GetServices<IIncomingGrainCallFilter>(), IsTracing);
    }

    /// <summary>Orleans' activity propagation filters (the tenant ownership filter is always there).</summary>
    private static bool IsTracing(IIncomingGrainCallFilter filter) => filter.GetType().Name.Contains("Activity", StringComparison.Ordinal);

    [Theory]
    [InlineData("auto", false, false)]
    [InlineData("auto", true, true)]
    [InlineData("on", false, true)]
    [InlineData("ON", false, true)]
    [InlineData("off", true, false)]
    public void Traces_are_recorded_as_the_setting_and_the_exporter_say(string setting, bool exporting, bool recorded) =>
        Assert.Equal(recorded, new TelemetryOptions { Traces = setting, Exporting = exporting }.RecordsTraces);

    [Fact]
    public void An_unknown_traces_setting_is_refused_by_name()
    {
        var ex = Assert.Throws<InvalidConfigurationException>(() => ServerApp.Build([.. MinimalHostArgs.Valid, "--Telemetry:Traces=sometimes"]));

        Assert.Contains(ex.Errors, e => e.StartsWith("Telemetry:Traces", StringComparison.Ordinal));
    }
}
