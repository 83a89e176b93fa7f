using System.Net;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using RAOrchestrator.Directory.Throttling;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Directory.Batching;

/// <summary>The answers of one $batch, by request id, with what items need to read them: status, body, error, Retry-After.</summary>
internal sealed class BatchAnswers(BatchResponseContentCollection response, Dictionary<string, HttpStatusCode> statuses, string tenantId, string? clientId, DateTimeOffset now)
{
    /// <summary>A request the batch did not answer counts as unavailable (sent again).</summary>
    public HttpStatusCode Status(string id) => statuses.TryGetValue(id, out var status) ? status : HttpStatusCode.ServiceUnavailable;

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
            or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway;

    public async Task<User> UserAsync(string id) => await response.GetResponseByIdAsync<User>(id)
        ?? throw new OrchestratorException(ErrorKind.Unavailable, GraphErrors.GraphUnavailable, "Graph answered without the user; the work will be retried.");

    /// <summary>The inner request's own failure, with its OData error body.</summary>
    public async Task<ODataError> ErrorAsync(string id)
    {
        using var inner = await response.GetResponseByIdAsync(id);
        return await GraphMapping.ReadErrorAsync(inner, (int)Status(id));
    }

    /// <summary>The inner failure as a domain error (CONSENT_MISSING, NO_SEATS_AVAILABLE, ...).</summary>
    public async Task<OrchestratorException> DomainErrorAsync(string id) => GraphErrors.Map(await ErrorAsync(id), tenantId, clientId);

    /// <summary>A transient inner answer: throttled or not, and its Retry-After (null: back off with jitter).</summary>
    public async Task<RoundOutcome> RetryAsync(string id)
    {
        var status = Status(id);
        using var inner = await response.GetResponseByIdAsync(id);
        var wait = inner is null
            ? (status == HttpStatusCode.TooManyRequests ? TimeSpan.FromSeconds(1) : null)
            : GraphResilienceHandler.RetryAfter(inner, now);
        return new RoundOutcome(false, status == HttpStatusCode.TooManyRequests, wait, inner is null ? null : GraphResilienceHandler.Scope(inner));
    }
}
