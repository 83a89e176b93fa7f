using Grpc.AspNetCore.Server;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RAOrchestrator.Grains;
using RAOrchestrator.Server.Grpc;

namespace RAOrchestrator.Server.Extensions;

public static class TelemetryExtensions
{
    /// <summary>
    /// Traces, metrics and logs through OpenTelemetry: ASP.NET Core and gRPC server spans, outgoing HTTP, Orleans'
    /// own meters and activity sources, and ours (both named RAOrchestrator), with rpc.server.call.duration from an
    /// interceptor. Exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (and the other standard OTEL_*
    /// variables); otherwise collected in process and dropped.
    /// </summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName: "raorchestrator", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithTracing(tracing => tracing
                .AddSource(Telemetry.Name)
                .AddSource("Microsoft.Orleans.Runtime")
                .AddSource("Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(Telemetry.Name)
                .AddMeter("Microsoft.Orleans")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation());

        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }

        // First of all interceptors (after every other registration), so the metric sees the status the caller gets.
        builder.Services.PostConfigure<GrpcServiceOptions>(grpc =>
        {
            grpc.Interceptors.Add<RpcMetricsInterceptor>();
            var metrics = grpc.Interceptors[^1];
            grpc.Interceptors.RemoveAt(grpc.Interceptors.Count - 1);
            grpc.Interceptors.Insert(0, metrics);
        });

        return builder;
    }
}
