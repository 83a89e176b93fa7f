using Grpc.Core;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace RAOrchestrator.Telemetry.Tests.Otlp;

/// <summary>The three OTLP/gRPC collector services: keep what arrives, accept all of it.</summary>
public sealed class TraceReceiver(ReceivedTelemetry received) : TraceService.TraceServiceBase
{
    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        received.Add(request);
        return Task.FromResult(new ExportTraceServiceResponse());
    }
}

public sealed class MetricsReceiver(ReceivedTelemetry received) : MetricsService.MetricsServiceBase
{
    public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
    {
        received.Add(request);
        return Task.FromResult(new ExportMetricsServiceResponse());
    }
}

public sealed class LogsReceiver(ReceivedTelemetry received) : LogsService.LogsServiceBase
{
    public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context)
    {
        received.Add(request);
        return Task.FromResult(new ExportLogsServiceResponse());
    }
}
