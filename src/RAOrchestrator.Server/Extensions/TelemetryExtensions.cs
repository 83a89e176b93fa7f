using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RAOrchestrator.Directory;
using RAOrchestrator.Grains;
using RAOrchestrator.Server.Configuration;
using RAOrchestrator.Server.Metrics;

namespace RAOrchestrator.Server.Extensions;

public static class TelemetryExtensions
{
    /// <summary>
    /// Traces, metrics and logs through OpenTelemetry: ASP.NET Core and gRPC server spans, outgoing HTTP, Orleans'
    /// own meters and activity sources, and ours (both named RAOrchestrator), with rpc.server.call.duration from the API's
    /// interceptor. Exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (and the other standard OTEL_*
    /// variables). Spans are recorded only as <see cref="TelemetryOptions.RecordsTraces"/> says: without an exporter
    /// nothing would read them, and they are most of what a no-op grain call costs.
    /// </summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder, TelemetryOptions options)
    {
        var otlp = options.Exporting;
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName: "raorchestrator", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(metrics => metrics
                .AddMeter(Telemetry.Name, GraphTelemetry.Name)
                .AddMeter("Microsoft.Orleans")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation());

        builder.Services.AddHostedService<ActiveSessionsGauge>();
        if (options.PrometheusEndpoint)
        {
            telemetry.WithMetrics(metrics => metrics.AddPrometheusExporter());
        }

        if (options.RecordsTraces)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(Telemetry.Name, GraphTelemetry.Name)
                .AddSource("Microsoft.Orleans.Runtime")
                .AddSource("Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation());
        }

        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// <c>GET /metrics</c> in Prometheus' text format when <see cref="TelemetryOptions.PrometheusEndpoint"/> is on, and
    /// only on the connection's local port of the management endpoint (not the Host header, which a caller chooses):
    /// the API and pages ports never answer it.
    /// </summary>
    public static WebApplication MapPrometheusMetrics(this WebApplication app, TelemetryOptions options, ApiOptions api)
    {
        if (options.PrometheusEndpoint)
        {
            var managementPort = new Uri(api.ManagementUrl).Port;
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
                context.Connection.LocalPort == managementPort && context.Request.Path == MetricsPath);
        }

        return app;
    }

    public const string MetricsPath = "/metrics";
}
