using Azure.Data.Tables;

namespace RAOrchestrator.Grains.Sessions.Storage;

/// <summary>
/// Bytes in table entities: split over binary properties <c>Data0</c>, <c>Data1</c>, ... of at most 64 KiB each (the
/// limit of one property), as Orleans' own table provider splits grain state; an entity holds at most 1 MiB in all.
/// </summary>
public static class TableBinary
{
    public const int MaxChunkBytes = 64 * 1024;

    /// <summary>Chunks an entity may hold with room for its keys and other properties.</summary>
    public const int MaxChunks = 15;

    private static readonly string[] Names = [.. Enumerable.Range(0, MaxChunks).Select(i => $"Data{i}")];

    public static void Write(TableEntity entity, byte[] data)
    {
        var chunks = (data.Length + MaxChunkBytes - 1) / MaxChunkBytes;
        if (chunks > MaxChunks)
        {
            throw new InvalidOperationException($"{data.Length:#,0} bytes do not fit one table entity (at most {MaxChunks * MaxChunkBytes:#,0}).");
        }

        if (chunks <= 1)
        {
            entity[Names[0]] = data;
            return;
        }

        for (var i = 0; i < chunks; i++)
        {
            entity[Names[i]] = data.AsSpan(i * MaxChunkBytes, Math.Min(MaxChunkBytes, data.Length - (i * MaxChunkBytes))).ToArray();
        }
    }

    public static byte[] Read(TableEntity entity)
    {
        var first = entity.GetBinary(Names[0]) ?? throw new InvalidOperationException($"Row {entity.PartitionKey}/{entity.RowKey} holds no data.");
        if (entity.GetBinary(Names[1]) is null)
        {
            return first;
        }

        var chunks = new List<byte[]> { first };
        for (var i = 1; i < MaxChunks && entity.GetBinary(Names[i]) is { } next; i++)
        {
            chunks.Add(next);
        }

        var data = new byte[chunks.Sum(c => c.Length)];
        var at = 0;
        foreach (var chunk in chunks)
        {
            chunk.CopyTo(data, at);
            at += chunk.Length;
        }

        return data;
    }
}
