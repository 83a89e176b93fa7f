using Orleans.Storage;

namespace RAOrchestrator.Grains.Sessions.Storage;

/// <summary>
/// Sessions written before the delta table kept their whole state as the Orleans grain state <c>session</c> in the
/// <see cref="StorageNames.State"/> provider. A session the table does not know is looked up there once, on
/// activation: when found, it is written to the table as its first snapshot and then removed from the old place, so a
/// session scheduled by an earlier build is neither lost nor read from two places.
/// </summary>
public static class LegacySessionState
{
    /// <summary>The state name the session grain used with <c>[PersistentState]</c>.</summary>
    public const string StateName = "session";

    /// <summary>Moves an old-format session into <paramref name="log"/> when the log is empty; answers whether it did.</summary>
    public static async Task<bool> MoveAsync(IGrainStorage storage, GrainId grain, SessionLog log)
    {
        if (log.Version > 0)
        {
            return false;
        }

        var old = new GrainState<SessionGrainState>(new SessionGrainState());
        await storage.ReadStateAsync(StateName, grain, old);
        if (!old.RecordExists || old.State is not { } state || (state.Session is null && state.Pending is null))
        {
            return false;
        }

        await log.WriteAsync(state);
        await storage.ClearStateAsync(StateName, grain, old);
        return true;
    }
}
