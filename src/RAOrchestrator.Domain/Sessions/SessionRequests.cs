using System.Collections.Immutable;

namespace RAOrchestrator.Domain.Sessions;

/// <summary>
/// What one mutation with a request id answered, kept so a repeat with the same id answers the same, even after the
/// session moved on. <see cref="Key"/> is <c>{partner}|{request id}</c> (ids are the caller's own).
/// </summary>
/// <param name="Action">The mutation: <c>invite</c>, <c>end</c> or <c>cancel</c>.</param>
/// <param name="Added">
/// Invite: the keys it invited. Each key is invited once in a session's life, so all remembered requests together hold
/// at most <see cref="SessionLimits.MaxInvitees"/> keys. Who it found already invited is not kept: a repeat carries the
/// same invitees, and <see cref="SessionRequests.AlreadyInvited"/> tells them apart again.
/// </param>
/// <param name="FirstSequence">Invite: the sequence of its first Invited event (the key of its mail), 0 when it added nobody.</param>
[GenerateSerializer, Immutable, Alias("raorch.sessions.ProcessedSessionRequest")]
public sealed record ProcessedSessionRequest(
    [property: Id(0)] string Key,
    [property: Id(1)] string Action,
    [property: Id(2)] ImmutableArray<string> Added,
    [property: Id(3)] long FirstSequence);

/// <summary>
/// The session's memory of request ids: the newest <see cref="Bound"/>, per session. Bound in bytes: 32 keys of at
/// most 150 characters plus at most 50 invitee keys in all, under 20 KiB.
/// </summary>
public static class SessionRequests
{
    /// <summary>Request ids a session remembers.</summary>
    public const int Bound = 32;

    /// <summary>
    /// What the first call of a repeated invite found already invited, from the invitee keys the repeat carries: each
    /// key it did not add, once, in the request's order (a key listed twice is added once, then found invited).
    /// </summary>
    public static ImmutableArray<string> AlreadyInvited(this ProcessedSessionRequest earlier, IEnumerable<string> requestedKeys)
    {
        var added = earlier.Added.ToHashSet(StringComparer.Ordinal);
        var already = ImmutableArray.CreateBuilder<string>();
        foreach (var key in requestedKeys)
        {
            if (!added.Remove(key) && !already.Contains(key))
            {
                already.Add(key);
            }
        }

        return already.ToImmutable();
    }

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
