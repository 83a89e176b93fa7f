namespace RAOrchestrator.Grains;

public static class StateWrites
{
    /// <summary>
    /// Writes grain state; when the write fails its outcome is unknown (storage away, a stale etag), so the
    /// activation is dropped and the next call reads the truth from storage instead of building on state that may
    /// never have been written or an etag that no longer matches.
    /// </summary>
    public static Task WriteOrDeactivateAsync<T>(this IPersistentState<T> state, IGrainBase grain) =>
        state.WriteStateAsync().OrDeactivateAsync(grain);

    /// <summary>Awaits a write of the grain's state; when it fails, drops the activation as <see cref="WriteOrDeactivateAsync{T}"/> does.</summary>
    public static async Task OrDeactivateAsync(this Task write, IGrainBase grain)
    {
        try
        {
            await write;
        }
        catch (Exception ex)
        {
            grain.GrainContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "A state write failed; state is reloaded on the next call."));
            (grain as IHoldsWatches)?.WakeWatches(); // the deactivation waits for running calls: its watches' polls end now

            // A state over its bound (Storage/BoundedStorageSerializer.cs) was refused before storage was asked: the
            // caller hears the bound, and the activation's unwritten change is dropped with it.
            if (ex is OrleansException { InnerException: RAOrchestrator.Domain.Errors.OrchestratorException refused })
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(refused);
            }

            throw;
        }
    }
}
