using OpenTelemetry.Proto.Trace.V1;
using RAOrchestrator.Telemetry.Tests.Infrastructure;
using RAOrchestrator.Telemetry.Tests.Otlp;

namespace RAOrchestrator.Telemetry.Tests;

[Collection(ExportedTelemetryCollection.Name)]
public sealed class TraceExportTests(ExportedTelemetryFixture fixture)
{
    [Fact]
    public async Task One_trace_runs_from_the_rpc_through_the_grains_to_each_graph_request()
    {
        var trace = await fixture.Received.WaitForAsync("the CreateServiceAccount trace with its Graph requests", received =>
        {
            var rpc = received.Spans.FirstOrDefault(s => s.Kind == Span.Types.SpanKind.Server && s.Scope == "Microsoft.AspNetCore" && s.Name.EndsWith("/CreateServiceAccount", StringComparison.Ordinal));
            var spans = rpc is null ? [] : received.Spans.Where(s => s.TraceId == rpc.TraceId).ToArray();
            return spans.Count(IsGraphRequest) >= 3 && spans.Any(s => s.Name == "graph.assign_licences") ? spans : null;
        });

        var root = Assert.Single(trace, s => s.ParentSpanId.Length == 0);
        Assert.Equal("raorchestrator", root.Service);
        Assert.Contains(trace, s => s.Scope == "Microsoft.Orleans.Application" && s.Kind == Span.Types.SpanKind.Server && s.Name == "IServiceAccountGrain/CreateAsync");
        Assert.Contains(trace, s => s.Scope == "Microsoft.Orleans.Application" && s.Kind == Span.Types.SpanKind.Server && s.Name == "ISeatLedgerGrain/ReserveAsync");

        // Each step the saga took in the directory is a gateway span under a grain call, with its HTTP attempts under it.
        var byId = trace.ToDictionary(s => s.SpanId);
        foreach (var step in new[] { "graph.find_user", "graph.ensure_user", "graph.assign_licences" })
        {
            var gateway = Assert.Single(trace, s => s.Name == step);
            Assert.Equal("RAOrchestrator", gateway.Scope);
            Assert.Equal("Microsoft.Orleans.Application", byId[gateway.ParentSpanId].Scope);
            Assert.Contains(trace, s => s.ParentSpanId == gateway.SpanId && IsGraphRequest(s));
        }

        // Nothing hangs loose: every span's parent is in the same trace, up to the RPC.
        foreach (var span in trace.Where(s => s != root))
        {
            var ancestor = span;
            for (var depth = 0; ancestor.ParentSpanId.Length > 0 && depth < 50; depth++)
            {
                Assert.True(byId.TryGetValue(ancestor.ParentSpanId, out ancestor!), $"{span.Name} has a parent outside the trace");
            }

            Assert.Equal(root, ancestor);
        }
    }

    [Fact]
    public async Task Logs_are_exported_with_the_trace_of_the_request_that_wrote_them()
    {
        var logs = await fixture.Received.WaitForAsync("request logs of CreateServiceAccount", received =>
        {
            var rpc = received.Spans.FirstOrDefault(s => s.Kind == Span.Types.SpanKind.Server && s.Name.EndsWith("/CreateServiceAccount", StringComparison.Ordinal));
            var logs = rpc is null ? [] : received.Logs.Where(l => l.TraceId == rpc.TraceId).ToArray();
            return logs.Length > 0 ? logs : null;
        });

        Assert.Contains(logs, l => l.Severity == "Information" && l.Body.Contains("CreateServiceAccount", StringComparison.Ordinal));
    }

    private bool IsGraphRequest(ReceivedSpan span) =>
        span.Kind == Span.Types.SpanKind.Client && span.Scope == "System.Net.Http"
        && span.Attributes.GetValueOrDefault("url.full", string.Empty).StartsWith(fixture.Facts.GraphAddress.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal);
}
