using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using RAOrchestrator.Bench.JoinAdmit;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Bench;

/// <summary>
/// What grouping inserts into entity-group transactions saves on the storage this service runs against locally
/// (Azurite): the same number of small rows (the size of a session delta) inserted one request each, and in
/// transactions of 10, 50 and 100 rows of one partition. Reports rows/s and Azurite's CPU per row, the cost that
/// bounds every acknowledged session step (join-admit scenario (f)). Decides whether group commit across sessions
/// would lift join-and-admit here.
/// </summary>
/// <remarks>Usage: <c>storage-batching [--rows N] [--bytes B] [--callers C]</c>.</remarks>
public static class StorageBatchingBenchmark
{
    public static int Run(string[] args)
    {
        var rows = Option(args, "--rows", 4000);
        var bytes = Option(args, "--bytes", 600);
        var callers = Option(args, "--callers", 16);
        RunAsync(rows, bytes, callers).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task RunAsync(int rows, int bytes, int callers)
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        var tables = new TableServiceClient(azurite.ConnectionString);
        var payload = new byte[bytes];
        Random.Shared.NextBytes(payload);

        Console.WriteLine($"Azurite (in memory), {rows:N0} rows of {bytes} bytes each arm, {callers} concurrent requests; three rounds, arms interleaved");
        Console.WriteLine("| rows a request | rows/s | Azurite CPU µs a row | client CPU µs a row | request p50 ms |");
        Console.WriteLine("|---|---|---|---|---|");
        var results = new Dictionary<int, List<(double RowsPerSecond, double AzuriteMicros, double ClientMicros, double P50)>>();
        for (var round = 0; round < 3; round++)
        {
            foreach (var batch in new[] { 1, 10, 50, 100 })
            {
                var table = tables.GetTableClient($"batching{batch}r{round}");
                await table.CreateIfNotExistsAsync();
                await InsertAsync(table, batch, Math.Min(200, rows), payload, callers); // warm-up: connections, JIT
                var result = await MeasureAsync(azurite.ProcessId!.Value, table, batch, rows, payload, callers);
                (results.TryGetValue(batch, out var list) ? list : results[batch] = []).Add(result);
            }
        }

        foreach (var (batch, list) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {batch} | {Median(list.Select(r => r.RowsPerSecond)):N0} | {Median(list.Select(r => r.AzuriteMicros)):N0} | {Median(list.Select(r => r.ClientMicros)):N0} | {Median(list.Select(r => r.P50)):N1} |"));
        }
    }

    private static async Task<(double, double, double, double)> MeasureAsync(int azuritePid, TableClient table, int batch, int rows, byte[] payload, int callers)
    {
        var azuriteBefore = CpuMeter.Split(azuritePid).Self;
        var clientBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        var clock = Stopwatch.StartNew();
        var latencies = await InsertAsync(table, batch, rows, payload, callers);
        var seconds = clock.Elapsed.TotalSeconds;
        var azurite = CpuMeter.Split(azuritePid).Self - azuriteBefore;
        var client = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - clientBefore;
        latencies.Sort();
        return (rows / seconds, azurite / rows * 1e6, client / rows * 1e6, latencies[latencies.Count / 2]);
    }

    /// <summary>
    /// Inserts <paramref name="rows"/> new rows, <paramref name="batch"/> a request (one partition each), with
    /// <paramref name="callers"/> requests in flight: each request into a partition of its own, or with
    /// <paramref name="partitions"/> into that many partitions taken in turn (as the session store's shards are).
    /// </summary>
    internal static async Task<List<double>> InsertAsync(TableClient table, int batch, int rows, byte[] payload, int callers, int? partitions = null)
    {
        var run = Guid.NewGuid().ToString("N");
        var requests = (rows + batch - 1) / batch;
        var next = -1;
        var latencies = new List<double>();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(async _ =>
        {
            for (var r = Interlocked.Increment(ref next); r < requests; r = Interlocked.Increment(ref next))
            {
                var partition = partitions is { } count ? "s" + (r % count).ToString("x2", CultureInfo.InvariantCulture) : Guid.NewGuid().ToString("N");
                var entities = Enumerable.Range(0, Math.Min(batch, rows - r * batch))
                    .Select(i => new TableEntity(partition, partitions is null ? i.ToString("D19", CultureInfo.InvariantCulture) : $"{run}|{r:D10}|{i:D19}") { ["Data0"] = payload })
                    .ToList();
                var started = Stopwatch.GetTimestamp();
                if (entities.Count == 1)
                {
                    await table.AddEntityAsync(entities[0]);
                }
                else
                {
                    await table.SubmitTransactionAsync(entities.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)));
                }

                lock (latencies)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        }));
        return latencies;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
