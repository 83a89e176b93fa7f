namespace RAOrchestrator.Domain.Requests;

/// <summary>The key a retried request is recognised by, wherever an answer or an effect is remembered for retries.</summary>
public static class RequestKey
{
    /// <summary>
    /// <c>{partner}|{request id}</c>: request ids are the caller's own, so another partner's same id (after a tenant
    /// changed hands) is a new request. Null without an id: such a call is not idempotent and is not remembered.
    /// </summary>
    public static string? Of(string partnerId, string? requestId) => string.IsNullOrEmpty(requestId) ? null : $"{partnerId}|{requestId}";
}
