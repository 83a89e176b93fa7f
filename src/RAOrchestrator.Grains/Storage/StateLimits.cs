namespace RAOrchestrator.Grains.Storage;

/// <summary>
/// How much one grain state may hold. Orleans' Azure Table provider (Orleans.Persistence.AzureStorage 10.4.2,
/// <c>AzureTableStorage.ConvertToStorageFormat</c>) writes a state's serialized bytes into at most 15 binary
/// properties of 64 KiB (<c>MAX_DATA_CHUNKS_COUNT</c> × <c>MAX_DATA_CHUNK_SIZE</c> = 983,040 bytes; the 1 MiB entity
/// keeps the rest for keys and timestamps) and throws "Data too large to write to Azure table" above that, after
/// which every write of that grain fails. Azurite refused a state below that already ("EntityTooLarge: larger than
/// the maximum allowed size (1MB)", StateBoundTests), so the net stays under 3/4 of 1 MiB, which fits however the
/// binary properties are counted. Each state type states its own bound, well under this, next to its type.
/// </summary>
public static class StateLimits
{
    /// <summary>What the provider can store: 15 × 64 KiB.</summary>
    public const int ProviderMaxBytes = 15 * 64 * 1024;

    /// <summary>A write above this is refused (<c>STATE_LIMIT_REACHED</c>) before anything is stored.</summary>
    public const int MaxStateBytes = 720 * 1024;

    /// <summary>Logs that remember answers for retries (tenant requests, barrier changes) hold at most this many bytes.</summary>
    public const int MaxAnswerLogBytes = 192 * 1024;
}
