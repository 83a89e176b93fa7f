using RAOrchestrator.Bench;
using RAOrchestrator.Bench.JoinAdmit;

// A small dispatcher: one entry per subcommand. Add yours to the table.
var commands = new Dictionary<string, (string Help, Func<string[], int> Run)>(StringComparer.OrdinalIgnoreCase)
{
    ["barriers"] = ("information-barrier compile and check throughput", BarriersBenchmark.Run),
    ["barrier-apply"] = ("information-barrier apply of a large tenant through the API against the emulator", BarrierApplyBenchmark.Run),
    ["bulk-onboarding"] = ("bulk onboarding through the API against the emulator (latency, published throttling)", BulkOnboardingBenchmark.Run),
    ["bulk-accounts"] = ("bulk onboarding with service-account plans: accounts/s against the Graph quota ceiling, 429s, round trips", BulkAccountsBenchmark.Run),
    ["session-memory"] = ("memory per idle session grain with many activated (default 100,000)", SessionMemoryBenchmark.Run),
    ["join-admit"] = ("join-and-admit through SessionService against bare echo, our no-op RPC and grain calls (pinned cores)", JoinAdmitBenchmark.Run),
    ["storage-batching"] = ("Azurite rows/s and CPU per row: one insert a request against entity-group transactions of 10-100", StorageBatchingBenchmark.Run),
    ["storage-table-size"] = ("Azurite CPU a read, replace and insert against tables prefilled with more and more rows", StorageTableSizeBenchmark.Run),
    ["join-admit-cluster"] = ("join-and-admit saturated through a balanced channel on a cluster of 1 and then 3 silo processes (pinned cores)", ClusterJoinAdmitBenchmark.Run),
};

if (args.Length == 0 || !commands.TryGetValue(args[0], out var command))
{
    Console.Error.WriteLine("usage: RAOrchestrator.Bench <command> [options]");
    foreach (var (name, (help, _)) in commands)
    {
        Console.Error.WriteLine($"  {name,-12} {help}");
    }

    return args.Length == 0 ? 0 : 2;
}

return command.Run(args[1..]);
