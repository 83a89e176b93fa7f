using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Storage;

namespace RAOrchestrator.Grains.Storage;

/// <summary>
/// The grain-state store with one ambiguity of a remote store resolved. A write whose request reached storage but
/// whose answer was lost (a dropped connection, the client's network timeout) is sent again by the storage client; the
/// second attempt then finds the row already changed (412 on an update, 409 on an insert) and the provider reports an
/// inconsistent state, though the row holds exactly this write and nobody else wrote. Without this the activation
/// would be dropped and its caller failed for a write that landed.
/// On such a refusal the row is read back: when it holds what this write sent (the same state, or none after a clear),
/// the write counts as written, with the row's ETag; otherwise (another activation wrote) the refusal stands.
/// </summary>
/// <param name="inner">The provider that talks to storage.</param>
/// <param name="serializer">How states are compared: the store's serializer without its bounds (the bytes are not sent).</param>
public sealed partial class LostAnswerStorage(IGrainStorage inner, IGrainStorageSerializer serializer, ILogger<LostAnswerStorage> logger) : IGrainStorage
{
    /// <summary>Over the grain storage provider registered as <paramref name="provider"/>, comparing with the Orleans serializer.</summary>
    public static LostAnswerStorage Over(IServiceProvider services, string provider) =>
        new(services.GetRequiredKeyedService<IGrainStorage>(provider), new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()),
            services.GetRequiredService<ILogger<LostAnswerStorage>>());

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // What this write sends, taken now as the provider takes it (it serializes before its first await): a grain
        // whose calls interleave may change its state while the write is out.
        var sent = serializer.Serialize(grainState.State);
        try
        {
            await inner.WriteStateAsync(stateName, grainId, grainState);
        }
        catch (InconsistentStateException)
        {
            var stored = await StoredAsync(stateName, grainId, grainState);
            if (stored is not { RecordExists: true } || !Holds(stored.State, sent))
            {
                throw;
            }

            grainState.ETag = stored.ETag;
            grainState.RecordExists = true;
            LogCountedAsWritten(grainId, stateName);
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        try
        {
            await inner.ClearStateAsync(stateName, grainId, grainState);
        }
        catch (InconsistentStateException)
        {
            var stored = await StoredAsync(stateName, grainId, grainState);
            if (stored is not { RecordExists: false })
            {
                throw;
            }

            grainState.ETag = stored.ETag;
            grainState.RecordExists = false;
            grainState.State = stored.State;
            LogCountedAsWritten(grainId, stateName);
        }
    }

    /// <summary>The row as it is now; null when it cannot be read (the refusal then stands).</summary>
    private async Task<GrainState<T>?> StoredAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = new GrainState<T>();
        try
        {
            await inner.ReadStateAsync(stateName, grainId, stored);
        }
        catch (Exception ex)
        {
            LogReadBackFailed(ex, grainId, stateName, grainState.ETag);
            return null;
        }

        return stored;
    }

    /// <summary>
    /// Whether the stored state is the one sent. Both are compared as a read gives them: a state read back does not
    /// always serialize to the bytes it was read from (a dictionary's comparer, say), so the sent bytes are read back
    /// first, and two copies read from the same bytes serialize alike.
    /// </summary>
    private bool Holds<T>(T stored, BinaryData sent) =>
        serializer.Serialize(stored).ToMemory().Span.SequenceEqual(serializer.Serialize(serializer.Deserialize<T>(sent)).ToMemory().Span);

    [LoggerMessage(Level = LogLevel.Information, Message = "The write of {GrainId} ({State}) was refused as a conflict after its first answer was lost; the row holds exactly that write, so it counts as written")]
    private partial void LogCountedAsWritten(GrainId grainId, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The write of {GrainId} ({State}) was refused as a conflict (ETag {ETag}) and the row could not be read back; the refusal stands")]
    private partial void LogReadBackFailed(Exception exception, GrainId grainId, string state, string? etag);
}
