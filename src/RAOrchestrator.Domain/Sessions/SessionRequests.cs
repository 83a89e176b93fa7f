using System.Collections.Immutable;

namespace RAOrchestrator.Domain.Sessions;

/// <summary>
/// What one mutation with a request id answered, kept so a repeat with the same id answers the same, even after the
/// session moved on. <see cref="Key"/> is <c>{partner}|{request id}</c> (ids are the caller's own).
/// </summary>
/// <param name="Action">The mutation: <c>invite</c>, <c>end</c> or <c>cancel</c>.</param>
/// <param name="Added">Invite: the keys it invited.</param>
/// <param name="AlreadyInvited">Invite: the keys it found already invited.</param>
/// <param name="FirstSequence">Invite: the sequence of its first Invited event (the key of its mail), 0 when it added nobody.</param>
[GenerateSerializer, Immutable, Alias("raorch.sessions.ProcessedSessionRequest")]
public sealed record ProcessedSessionRequest(
    [property: Id(0)] string Key,
    [property: Id(1)] string Action,
    [property: Id(2)] ImmutableArray<string> Added,
    [property: Id(3)] ImmutableArray<string> AlreadyInvited,
    [property: Id(4)] long FirstSequence);

/// <summary>The session's memory of request ids: the newest <see cref="Bound"/>, per session.</summary>
public static class SessionRequests
{
    /// <summary>Request ids a session remembers (a few hundred bytes each).</summary>
    public const int Bound = 32;

    /// <summary>The key of a request id, or null when there is none (an empty id is no key: the call is not idempotent).</summary>
    public static string? KeyOf(string partnerId, string? requestId) => string.IsNullOrEmpty(requestId) ? null : $"{partnerId}|{requestId}";

    /// <summary>What the request with <paramref name="key"/> answered as <paramref name="action"/>, or null.</summary>
    public static ProcessedSessionRequest? Processed(this SessionState session, string? key, string action) =>
        key is null ? null : session.Requests?.FirstOrDefault(r => r.Key == key && r.Action == action);

    /// <summary>The session remembering <paramref name="request"/> (the oldest forgotten past <see cref="Bound"/>).</summary>
    public static SessionState Remember(this SessionState session, ProcessedSessionRequest request)
    {
        var list = (session.Requests ?? []).Add(request);
        return session with { Requests = list.Count > Bound ? list.RemoveRange(0, list.Count - Bound) : list };
    }

    /// <summary>The step, remembering what it answered under <paramref name="key"/> (unchanged when there is no key or it was refused).</summary>
    public static SessionStep<T> Remembering<T>(this SessionStep<T> step, string? key, Func<T, ProcessedSessionRequest> record)
        where T : class =>
        key is null || !step.Succeeded ? step : step with { State = step.State.Remember(record(step.Value!)) };
}
