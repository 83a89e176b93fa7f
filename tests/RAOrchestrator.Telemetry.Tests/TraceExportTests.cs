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
        // The account's Graph work goes out in a $batch shared with other accounts: a "graph.batch" span of its own
        // trace, linked to each caller's gateway span (the OpenTelemetry way to show one operation serving many).
        var (trace, batch) = await fixture.Received.WaitForAsync("the CreateServiceAccount trace and the Graph batch linked to it", received =>
        {
            var rpc = received.Spans.FirstOrDefault(s => s.Kind == Span.Types.SpanKind.Server && s.Scope == "Microsoft.AspNetCore" && s.Name.EndsWith("/CreateServiceAccount", StringComparison.Ordinal));
            var spans = rpc is null ? [] : received.Spans.Where(s => s.TraceId == rpc.TraceId).ToArray();
            var create = spans.FirstOrDefault(s => s.Name == "graph.create_licensed_user");
            var linked = create is null ? null : received.Spans.FirstOrDefault(s => s.Name == "graph.batch" && s.Links.Contains((create.TraceId, create.SpanId)));
            var batchSpans = linked is null ? [] : received.Spans.Where(s => s.TraceId == linked.TraceId).ToArray();
            return batchSpans.Any(IsGraphRequest) ? Tuple.Create(spans, batchSpans) : null;
        });

        var root = Assert.Single(trace, s => s.ParentSpanId.Length == 0);
        Assert.Equal("raorchestrator", root.Service);
        Assert.Contains(trace, s => s.Scope == "Microsoft.Orleans.Application" && s.Kind == Span.Types.SpanKind.Server && s.Name == "IServiceAccountGrain/CreateAsync");
        Assert.Contains(trace, s => s.Scope == "Microsoft.Orleans.Application" && s.Kind == Span.Types.SpanKind.Server && s.Name == "ISeatLedgerGrain/ReserveAsync");

        // The saga's directory step is a gateway span under a grain call; the batch carries the HTTP request under it.
        var byId = trace.ToDictionary(s => s.SpanId);
        var gateway = Assert.Single(trace, s => s.Name == "graph.create_licensed_user");
        Assert.Equal("RAOrchestrator.Directory", gateway.Scope);
        Assert.Equal("Microsoft.Orleans.Application", byId[gateway.ParentSpanId].Scope);
        var batchRoot = Assert.Single(batch, s => s.Name == "graph.batch");
        Assert.Contains(batch, s => s.ParentSpanId == batchRoot.SpanId && IsGraphRequest(s));

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
