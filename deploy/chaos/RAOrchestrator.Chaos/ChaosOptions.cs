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

    /// <summary>Live sessions, each with a watcher, held through the faults (0: none).</summary>
    public int Sessions { get; init; } = 2000;

    /// <summary>Tenants the sessions belong to (a hundred sessions each, at least one).</summary>
    public int SessionTenants => Math.Clamp((Sessions + 99) / 100, 1, 50);

    /// <summary>Join, admit and leave operations started per second over all sessions (0: as fast as the workers go).</summary>
    public int SessionRate { get; init; } = 150;

    /// <summary>Concurrent session operations (each on its own sessions, one at a time per session).</summary>
    public int SessionWorkers { get; init; } = 32;

    /// <summary>A SIGKILL round fails when the dead silo is not declared dead this soon.</summary>
    public TimeSpan DeathLimit { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A SIGKILL round fails when throughput is not back to <see cref="RecoveryFraction"/> of its level before the kill this soon.</summary>
    public TimeSpan RecoveryLimit { get; init; } = TimeSpan.FromSeconds(30);

    public double RecoveryFraction { get; init; } = 0.95;

    /// <summary>After the faults, how long the work may take to finish before the run gives up.</summary>
    public TimeSpan SettleLimit { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>Reads "tenants=300 rounds=4 interval=30 outage=30 latency=150 parallelism=6 sessions=2000 session-rate=150".</summary>
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
                "sessions" => options with { Sessions = Math.Clamp(value, 0, 5000) },
                "session-rate" => options with { SessionRate = Math.Clamp(value, 0, 5000) },
                _ => throw new ArgumentException($"unknown option '{key}' (tenants, rounds, interval, outage, latency, parallelism, sessions, session-rate)"),
            };
        }

        return options;
    }
}
