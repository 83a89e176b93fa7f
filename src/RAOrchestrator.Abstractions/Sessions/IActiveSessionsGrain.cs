namespace RAOrchestrator.Abstractions.Sessions;

/// <summary>
/// One shard (0 to <see cref="ActiveSessionShards.Count"/> - 1) of the stored set of sessions whose state is Active: a
/// session marks itself when it becomes active and unmarks when it closes, and again whenever it is activated, so a
/// mark lost to a crash is mended at the session's next activation. The <c>raorchestrator.sessions.active</c> gauge is
/// the sum of the shards' counts, read from storage, so it is the same on every silo and survives restarts.
/// </summary>
[Alias("raorch.IActiveSessionsGrain")]
public interface IActiveSessionsGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Adds or removes the session (its grain key); idempotent, and writes only what changes. Marks interleave: those
    /// made while a write is in flight share the next write, and each answers once a write holding it has landed.
    /// </summary>
    [Alias("Mark"), AlwaysInterleave]
    Task MarkAsync(string session, bool active);

    [Alias("Count"), ReadOnly]
    Task<int> CountAsync();
}

/// <summary>Which shard of <see cref="IActiveSessionsGrain"/> holds a session: a stable hash of its key (FNV-1a).</summary>
public static class ActiveSessionShards
{
    public const int Count = 16;

    public static int Of(string session)
    {
        var hash = 2166136261u;
        foreach (var c in session)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Count);
    }
}
