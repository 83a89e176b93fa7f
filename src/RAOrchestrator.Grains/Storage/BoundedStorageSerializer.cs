using Orleans.Storage;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Grains.Storage;

/// <summary>
/// The grain storage serializer with <see cref="StateLimits.MaxStateBytes"/> enforced: a state that would not fit
/// is refused while it is serialized, before the provider sends anything to storage. Every size is recorded
/// (<c>raorchestrator.grain.state.size</c>, by state type).
/// </summary>
public sealed class BoundedStorageSerializer(IGrainStorageSerializer inner) : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input)
    {
        var data = inner.Serialize(input);
        var size = data.ToMemory().Length;
        Telemetry.StateBytes.Record(size, new KeyValuePair<string, object?>("state.type", typeof(T).Name));
        if (size > StateLimits.MaxStateBytes)
        {
            throw BoundReasons.Exhausted(BoundReasons.StateLimitReached,
                $"The change would make the stored {typeof(T).Name} {size:N0} bytes, over its limit of {StateLimits.MaxStateBytes:N0}; nothing was changed.",
                typeof(T).Name, StateLimits.MaxStateBytes, size);
        }

        return data;
    }

    public T? Deserialize<T>(BinaryData input) => inner.Deserialize<T>(input);
}
