namespace RAOrchestrator.Chaos;

/// <summary>What one chaos run does; every number is bounded so the run ends by itself.</summary>
public sealed record ChaosOptions
{
    public int Tenants { get; init; } = 300;
    public int Silos { get; init; } = 3;
    public int KillRounds { get; init; } = 4;
    public TimeSpan KillInterval { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan StorageOutage { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Load keeps running this long after the last fault, so the recovery from it can be measured.</summary>
    public TimeSpan CoolDown { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Added to every Graph request by the emulator, so onboarding lasts through the faults.</summary>
    public int GraphLatencyMs { get; init; } = 150;

    public int BulkParallelism { get; init; } = 6;

    /// <summary>After the faults, how long the work may take to finish before the run gives up.</summary>
    public TimeSpan SettleLimit { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>Reads "tenants=300 rounds=4 interval=30 outage=30 latency=150".</summary>
    public static ChaosOptions Parse(IEnumerable<string> args)
    {
        var options = new ChaosOptions();
        foreach (var arg in args)
        {
            var (key, value) = arg.Split('=', 2) is [var k, var v] ? (k, int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)) : throw new ArgumentException($"expected key=value, got '{arg}'");
            options = key switch
            {
                "tenants" => options with { Tenants = Math.Clamp(value, 3, 2000) },
                "rounds" => options with { KillRounds = Math.Clamp(value, 0, 10) },
                "interval" => options with { KillInterval = TimeSpan.FromSeconds(Math.Clamp(value, 10, 120)) },
                "outage" => options with { StorageOutage = TimeSpan.FromSeconds(Math.Clamp(value, 0, 120)) },
                "latency" => options with { GraphLatencyMs = Math.Clamp(value, 0, 2000) },
                "parallelism" => options with { BulkParallelism = Math.Clamp(value, 1, 64) },
                _ => throw new ArgumentException($"unknown option '{key}' (tenants, rounds, interval, outage, latency, parallelism)"),
            };
        }

        return options;
    }
}
