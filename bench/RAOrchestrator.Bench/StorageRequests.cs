using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Text.RegularExpressions;

namespace RAOrchestrator.Bench;

/// <summary>
/// Diagnostics: with <c>BENCH_STORAGE_REQUESTS</c> set, counts every request the in-process host sends to table
/// storage, by method, table and (for a keyed request) the row key's kind: a grain state's name, a reminder row. Read
/// from the Azure SDK's own request events, so retries count as the requests they are. Off by default: the listener
/// formats every request's headers.
/// </summary>
public sealed partial class StorageRequests : EventListener
{
    private readonly ConcurrentDictionary<string, int> _counts = new();

    public static StorageRequests? StartIfAsked() =>
        Environment.GetEnvironmentVariable("BENCH_STORAGE_REQUESTS") is null ? null : new StorageRequests();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Azure-Core")
        {
            EnableEvents(source, EventLevel.Informational);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs data)
    {
        if (data.EventName != "Request" || data.Payload is not { Count: >= 3 } payload)
        {
            return;
        }

        var method = payload[1] as string ?? "?";
        var uri = payload[2] as string ?? string.Empty;
        if (!uri.Contains("/devstoreaccount1/", StringComparison.Ordinal))
        {
            return;
        }

        _counts.AddOrUpdate($"{method} {Kind(uri)}", 1, static (_, n) => n + 1);
    }

    /// <summary>The counts, most first, with each one's share per <paramref name="per"/> (accounts, pairs).</summary>
    public void Print(string perWhat, int per)
    {
        var total = _counts.Values.Sum();
        Console.WriteLine($"  storage requests         {total} ({(double)total / Math.Max(1, per):0.00} per {perWhat})");
        foreach (var (key, count) in _counts.OrderByDescending(c => c.Value))
        {
            Console.WriteLine($"    {count,8} {(double)count / Math.Max(1, per),6:0.00}  {key}");
        }
    }

    private static string Kind(string uri)
    {
        var path = new Uri(uri).AbsolutePath;
        var table = TableName().Match(path);
        if (!table.Success)
        {
            return path;
        }

        var row = RowKey().Match(Uri.UnescapeDataString(path));
        var name = table.Groups[1].Value;
        if (!row.Success)
        {
            return name;
        }

        // A grain state's row key is its state's name; a reminder's carries the grain: keep only its kind.
        var key = row.Groups[1].Value;
        return name.Contains("Reminder", StringComparison.OrdinalIgnoreCase) ? $"{name} (row)" : $"{name} {key}";
    }

    [GeneratedRegex("^/devstoreaccount1/([A-Za-z0-9]+)")]
    private static partial Regex TableName();

    [GeneratedRegex("RowKey='([^']*)'")]
    private static partial Regex RowKey();
}
