using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace RAOrchestrator.Telemetry.Tests.Otlp;

public enum MetricShape
{
    Gauge,
    MonotonicSum,
    NonMonotonicSum,
    Histogram,
    ExponentialHistogram,
    Summary,
}

public sealed record ReceivedSpan(
    string TraceId, string SpanId, string ParentSpanId, string Name, Span.Types.SpanKind Kind, string Scope,
    IReadOnlyDictionary<string, string> Attributes, string Service)
{
    /// <summary>The spans this one links to (trace id, span id), e.g. the callers a batch serves.</summary>
    public IReadOnlyList<(string TraceId, string SpanId)> Links { get; init; } = [];
}

/// <summary>One data point; <see cref="Value"/> is the number, or a histogram's count.</summary>
public sealed record ReceivedPoint(
    string Metric, string Unit, MetricShape Shape, string Scope, IReadOnlyDictionary<string, string> Attributes, double Value,
    IReadOnlyDictionary<string, string> Resource);

public sealed record ReceivedLog(string TraceId, string SpanId, string Severity, string Category, string Body);

/// <summary>Everything the receiver got, flattened, and a way to wait (without sleeping) until something arrives.</summary>
public sealed class ReceivedTelemetry
{
    private readonly Lock _sync = new();
    private readonly List<ReceivedSpan> _spans = [];
    private readonly List<ReceivedPoint> _points = [];
    private readonly List<ReceivedLog> _logs = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _metricExports;
    private bool _frozen;

    public IReadOnlyList<ReceivedSpan> Spans { get { lock (_sync) { return [.. _spans]; } } }
    public IReadOnlyList<ReceivedPoint> Points { get { lock (_sync) { return [.. _points]; } } }
    public IReadOnlyList<ReceivedLog> Logs { get { lock (_sync) { return [.. _logs]; } } }

    /// <summary>Metric export calls received: each carries every cumulative series, so one after an event shows it.</summary>
    public int MetricExports { get { lock (_sync) { return _metricExports; } } }

    /// <summary>The latest point of each series of <paramref name="metric"/> (cumulative temporality: the total so far).</summary>
    public IReadOnlyList<ReceivedPoint> Latest(string metric) =>
        Points.Where(p => p.Metric == metric)
            .GroupBy(p => string.Join(",", p.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}")) + "|" + p.Resource.GetValueOrDefault("service.instance.id"))
            .Select(series => series.Last())
            .ToArray();

    /// <summary>Keeps what has arrived as it is: later exports are ignored (the fixture's second wave is for Prometheus only).</summary>
    public void Freeze()
    {
        lock (_sync)
        {
            _frozen = true;
        }
    }

    public void Add(ExportTraceServiceRequest request)
    {
        var spans = from resource in request.ResourceSpans
                    from scope in resource.ScopeSpans
                    from span in scope.Spans
                    select new ReceivedSpan(
                        Hex(span.TraceId), Hex(span.SpanId), Hex(span.ParentSpanId), span.Name, span.Kind, scope.Scope?.Name ?? string.Empty,
                        Flatten(span.Attributes), Flatten(resource.Resource?.Attributes ?? []).GetValueOrDefault("service.name", string.Empty))
                    {
                        Links = [.. span.Links.Select(l => (Hex(l.TraceId), Hex(l.SpanId)))],
                    };
        Append(_spans, spans);
    }

    public void Add(ExportMetricsServiceRequest request)
    {
        var points = from resource in request.ResourceMetrics
                     let attributes = Flatten(resource.Resource?.Attributes ?? [])
                     from scope in resource.ScopeMetrics
                     from metric in scope.Metrics
                     from point in PointsOf(metric, scope.Scope?.Name ?? string.Empty, attributes)
                     select point;
        Append(_points, points, () => _metricExports++);
    }

    public void Add(ExportLogsServiceRequest request)
    {
        var logs = from resource in request.ResourceLogs
                   from scope in resource.ScopeLogs
                   from log in scope.LogRecords
                   select new ReceivedLog(Hex(log.TraceId), Hex(log.SpanId), log.SeverityText, scope.Scope?.Name ?? string.Empty, Text(log.Body));
        Append(_logs, logs);
    }

    /// <summary>
    /// Waits until <paramref name="probe"/> finds what it looks for in what has arrived, re-checking whenever an
    /// export arrives; fails after <paramref name="timeout"/> saying what was missing and what did arrive.
    /// </summary>
    public async Task<T> WaitForAsync<T>(string what, Func<ReceivedTelemetry, T?> probe, TimeSpan? timeout = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            Task changed;
            lock (_sync)
            {
                changed = _changed.Task;
            }

            if (probe(this) is { } found)
            {
                return found;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                var names = string.Join(", ", Points.Select(p => p.Metric).Distinct().Order(StringComparer.Ordinal));
                throw new TimeoutException($"Not received within the timeout: {what}. Metrics received: {names}. Spans: {Spans.Count}, logs: {Logs.Count}.");
            }

            await Task.WhenAny(changed, Task.Delay(left));
        }
    }

    private void Append<T>(List<T> list, IEnumerable<T> items, Action? counted = null)
    {
        var added = items.ToArray();
        lock (_sync)
        {
            if (_frozen)
            {
                return;
            }

            list.AddRange(added);
            counted?.Invoke();
            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private static IEnumerable<ReceivedPoint> PointsOf(Metric metric, string scope, IReadOnlyDictionary<string, string> resource)
    {
        ReceivedPoint Point(MetricShape shape, IEnumerable<KeyValue> attributes, double value) =>
            new(metric.Name, metric.Unit, shape, scope, Flatten(attributes), value, resource);

        return metric.DataCase switch
        {
            Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.Select(p => Point(MetricShape.Gauge, p.Attributes, Number(p))),
            Metric.DataOneofCase.Sum => metric.Sum.DataPoints.Select(p => Point(metric.Sum.IsMonotonic ? MetricShape.MonotonicSum : MetricShape.NonMonotonicSum, p.Attributes, Number(p))),
            Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Select(p => Point(MetricShape.Histogram, p.Attributes, p.Count)),
            Metric.DataOneofCase.ExponentialHistogram => metric.ExponentialHistogram.DataPoints.Select(p => Point(MetricShape.ExponentialHistogram, p.Attributes, p.Count)),
            Metric.DataOneofCase.Summary => metric.Summary.DataPoints.Select(p => Point(MetricShape.Summary, p.Attributes, p.Count)),
            _ => [],
        };
    }

    private static double Number(NumberDataPoint point) =>
        point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? point.AsInt : point.AsDouble;

    private static Dictionary<string, string> Flatten(IEnumerable<KeyValue> attributes) =>
        attributes.GroupBy(a => a.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Text(g.Last().Value), StringComparer.Ordinal);

    private static string Text(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.ArrayValue => string.Join(",", value.ArrayValue.Values.Select(Text)),
        null => string.Empty,
        _ => value.ToString(),
    };

    private static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);
}
