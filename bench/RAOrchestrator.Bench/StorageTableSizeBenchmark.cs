using System.Globalization;
using Azure;
using Azure.Data.Tables;
using RAOrchestrator.Bench.JoinAdmit;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Bench;

/// <summary>
/// What Azurite's single-row requests (read, replace, insert: what a grain-state read and write are) cost as its table
/// fills, for rows laid out the way Orleans' Azure Table grain storage lays them out (the grain in the partition key,
/// the state's name in the row key, so every grain of a kind shares one row key) and, beside them in the same table,
/// rows whose row keys are all different. Azurite finds a row by its row key first and then scans what shares it, so
/// the first kind's cost grows with the number of grains of that kind already stored; Azure Table storage finds a row
/// by both keys at once.
/// </summary>
/// <remarks>Usage: <c>storage-table-size [--requests N] [--bytes B] [--callers C] [--sizes 0,10000,...]</c>.</remarks>
public static class StorageTableSizeBenchmark
{
    private const string SharedRowKey = "account";

    public static int Run(string[] args)
    {
        var requests = Option(args, "--requests", 2000);
        var bytes = Option(args, "--bytes", 1000);
        var callers = Option(args, "--callers", 16);
        var i = Array.IndexOf(args, "--sizes");
        var sizes = i >= 0 ? args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() : [0, 1_000, 5_000, 20_000];
        RunAsync(requests, bytes, callers, sizes).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task RunAsync(int requests, int bytes, int callers, int[] sizes)
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        var tables = new TableServiceClient(azurite.ConnectionString);
        var payload = new string('x', bytes);
        var pid = azurite.ProcessId!.Value;
        Console.WriteLine($"Azurite (in memory), {requests:N0} requests of each kind into a table already holding N rows of {bytes} bytes that share one row key, {callers} in flight; two rounds");
        Console.WriteLine("Azurite's CPU a request, µs: rows that share the row key (as grain states of one kind do) | rows with row keys of their own");
        Console.WriteLine("| rows sharing the row key | round | read | replace | insert | read, own key | replace, own key | insert, own key |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        for (var round = 0; round < 2; round++)
        {
            foreach (var size in sizes)
            {
                var table = tables.GetTableClient($"size{size}r{round}");
                await table.CreateIfNotExistsAsync();
                await FillAsync(table, size, payload);
                var shared = Enumerable.Range(0, requests).Select(n => (Partition: "new" + n.ToString("D8", CultureInfo.InvariantCulture), Row: SharedRowKey)).ToArray();
                var own = Enumerable.Range(0, requests).Select(n => (Partition: "p" + (n % 500).ToString("D4", CultureInfo.InvariantCulture), Row: "own" + n.ToString("D8", CultureInfo.InvariantCulture))).ToArray();
                var cells = new List<double>();
                foreach (var keys in new[] { shared, own })
                {
                    // Inserted first, so the reads and replaces find their rows.
                    var insert = await MeasureAsync(pid, keys, callers, k => table.AddEntityAsync(new TableEntity(k.Partition, k.Row) { ["Data"] = payload }));
                    var read = await MeasureAsync(pid, keys, callers, k => table.GetEntityAsync<TableEntity>(k.Partition, k.Row));
                    var replace = await MeasureAsync(pid, keys, callers, k => table.UpdateEntityAsync(new TableEntity(k.Partition, k.Row) { ["Data"] = payload }, ETag.All, TableUpdateMode.Replace));
                    cells.AddRange([read, replace, insert]);
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {size:N0} | {round + 1} | {string.Join(" | ", cells.Select(c => c.ToString("N0", CultureInfo.InvariantCulture)))} |"));
            }
        }
    }

    private static async Task FillAsync(TableClient table, int rows, string payload)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (var b = Interlocked.Increment(ref next); b * 100 < rows; b = Interlocked.Increment(ref next))
            {
                // One partition a row, all under the shared row key: the way grain states of one kind are stored.
                await Task.WhenAll(Enumerable.Range(b * 100, Math.Min(100, rows - b * 100))
                    .Select(i => table.AddEntityAsync(new TableEntity("fill" + i.ToString("D8", CultureInfo.InvariantCulture), SharedRowKey) { ["Data"] = payload })));
            }
        }));
    }

    private static async Task<double> MeasureAsync(int pid, (string Partition, string Row)[] keys, int callers, Func<(string Partition, string Row), Task> request)
    {
        var before = CpuMeter.Split(pid).Self;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(async _ =>
        {
            for (var n = Interlocked.Increment(ref next); n < keys.Length; n = Interlocked.Increment(ref next))
            {
                await request(keys[n]);
            }
        }));
        return (CpuMeter.Split(pid).Self - before) / keys.Length * 1e6;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
