using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using RAOrchestrator.Domain.Directory;

namespace RAOrchestrator.Directory.Throttling;

/// <summary>
/// The last handler before the wire, one per tenant client (the SDK's own retry handler is removed: three retries
/// are too few for bulk work). Every attempt first waits at the governor, so no request goes before a Retry-After
/// has passed or beyond the budgets. 429 and 503/504 honour Retry-After; other 5xx and dropped connections back off
/// with jitter; all within a bound of attempts. Requests are buffered so they can be sent again.
/// </summary>
internal sealed partial class GraphResilienceHandler(
    string tenantId,
    GraphRateGovernor governor,
    GraphOptions options,
    TimeProvider time,
    ILogger logger) : DelegatingHandler
{
    private const string LimitPercentageHeader = "x-ms-throttle-limit-percentage";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The overall deadline covers every attempt, backoff and Retry-After wait; the caller's token still cancels.
        using var deadline = new CancellationTokenSource(options.RequestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await SendWithRetriesAsync(request, linked.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new GraphTimeoutException($"Microsoft Graph did not answer {request.Method} {request.RequestUri?.AbsolutePath} within {options.RequestTimeout.TotalSeconds:0.#} s.");
        }
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var cost = await GraphRequestCost.OfAsync(request, body);
        for (var attempt = 1; ; attempt++)
        {
            var charge = await governor.AcquireAsync(tenantId, cost.Units, cost.Writes, cancellationToken, DirectoryCaller.Current());
            using var message = Copy(request, body);
            using var attemptDeadline = new CancellationTokenSource(options.AttemptTimeout, time);
            using var attemptToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attemptDeadline.Token);
            HttpResponseMessage response;
            var sent = time.GetTimestamp();
            try
            {
                response = await base.SendAsync(message, attemptToken.Token);
                governor.Answered(tenantId, charge);
            }
            catch (OperationCanceledException) when (attemptDeadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // A silent server: given up like a dropped connection, retried while attempts and the deadline last.
                governor.Answered(tenantId, charge);
                GraphTelemetry.Requests.Add(1, new("http.request.method", request.Method.Method), new("outcome", "timeout"));
                if (attempt >= options.MaxAttempts)
                {
                    throw new GraphTimeoutException($"Microsoft Graph did not answer {request.Method} {request.RequestUri?.AbsolutePath} in {attempt} attempts of {options.AttemptTimeout.TotalSeconds:0.#} s.");
                }

                LogRetry(request.Method.Method, attempt, "no answer in time");
                await Task.Delay(options.Backoff(attempt), time, cancellationToken);
                continue;
            }
            catch (Exception ex) when (attempt < options.MaxAttempts && IsDropped(ex, cancellationToken))
            {
                governor.Answered(tenantId, charge);
                GraphTelemetry.Requests.Add(1, new("http.request.method", request.Method.Method), new("outcome", "dropped"));
                LogRetry(request.Method.Method, attempt, "connection dropped");
                await Task.Delay(options.Backoff(attempt), time, cancellationToken);
                continue;
            }

            var status = (int)response.StatusCode;
            GraphTelemetry.Requests.Add(1, new("http.request.method", request.Method.Method), new("outcome", GraphTelemetry.Outcome(status)));
            GraphTelemetry.RequestDuration.Record(time.GetElapsedTime(sent).TotalSeconds, new("http.request.method", request.Method.Method), new("outcome", GraphTelemetry.Outcome(status)));
            if (response.Headers.TryGetValues(LimitPercentageHeader, out var values)
                && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var percentage))
            {
                GraphTelemetry.LimitPercentage.Record(percentage);
                governor.ReportLimitPercentage(tenantId, percentage);
            }

            if (!IsRetryable(response.StatusCode))
            {
                return response;
            }

            var retryAfter = RetryAfter(response, time.GetUtcNow());
            if (status == 429)
            {
                GraphTelemetry.Throttled.Add(1);
            }

            // Held at the governor: every request of this tenant waits, not only this one, even when this one gives up.
            if (retryAfter is { } told)
            {
                governor.Throttled(tenantId, told, Scope(response));
            }

            if (attempt >= options.MaxAttempts || retryAfter > options.MaxRetryAfter)
            {
                return response;
            }

            if (retryAfter is { } wait)
            {
                LogRetry(request.Method.Method, attempt, $"{status}, Retry-After {wait.TotalSeconds:0.#} s");
            }
            else
            {
                LogRetry(request.Method.Method, attempt, status.ToString(CultureInfo.InvariantCulture));
                await Task.Delay(options.Backoff(attempt), time, cancellationToken);
            }

            response.Dispose();
        }
    }

    /// <summary>Graph's x-ms-throttle-scope: which bucket a 429 came from.</summary>
    internal static string? Scope(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-ms-throttle-scope", out var values) ? values.FirstOrDefault() : null;

    internal static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            return date > now ? date - now : TimeSpan.Zero;
        }

        return response.StatusCode == HttpStatusCode.TooManyRequests ? TimeSpan.FromSeconds(1) : null;
    }

    private static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
            or HttpStatusCode.BadGateway or HttpStatusCode.InternalServerError;

    private static bool IsDropped(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException || ex is TaskCanceledException && !cancellationToken.IsCancellationRequested || ex is IOException;

    private static HttpRequestMessage Copy(HttpRequestMessage original, byte[]? body)
    {
        var copy = new HttpRequestMessage(original.Method, original.RequestUri) { Version = original.Version, VersionPolicy = original.VersionPolicy };
        foreach (var header in original.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var header in original.Content!.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        foreach (var option in original.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        }

        return copy;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Graph {Method} attempt {Attempt} retried: {Why}")]
    private partial void LogRetry(string method, int attempt, string why);
}
