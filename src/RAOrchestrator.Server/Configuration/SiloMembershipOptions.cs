namespace RAOrchestrator.Server.Configuration;

/// <summary>
/// How fast the cluster notices a silo that died without leaving (Orleans' ClusterMembershipOptions). Each silo probes
/// a few others directly; a silo missing <see cref="NumMissedProbesLimit"/> probes in a row is suspected, and
/// <see cref="NumVotesForDeathDeclaration"/> suspicions declare it dead in the membership table, after which its grains
/// are activated elsewhere on the next call. Worst case ≈ ProbeTimeout × NumMissedProbesLimit plus one table round
/// trip per vote; a process killed outright also closes its sockets, which fails probes at once.
/// </summary>
public sealed class SiloMembershipOptions
{
    public const string Section = "Cluster:Membership";

    /// <summary>Initial timeout of one liveness probe (Orleans adapts it between half and four times this, by observed latency).</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Missed probes in a row before a silo suspects another.</summary>
    public int NumMissedProbesLimit { get; set; } = 3;

    /// <summary>Suspicions needed to declare a silo dead (at most the number of silos that probe it).</summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>Each silo also re-reads the membership table this often (gossip normally tells it sooner).</summary>
    public TimeSpan TableRefreshTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Heartbeat row updates in the membership table (diagnostics, and stale-entry detection).</summary>
    public TimeSpan IAmAliveTablePublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<string> Validate()
    {
        if (ProbeTimeout < TimeSpan.FromMilliseconds(500) || ProbeTimeout > TimeSpan.FromMinutes(1))
        {
            yield return "Cluster:Membership:ProbeTimeout must be between 00:00:00.5 and 00:01:00.";
        }

        if (NumMissedProbesLimit is < 1 or > 10)
        {
            yield return "Cluster:Membership:NumMissedProbesLimit must be between 1 and 10.";
        }

        if (NumVotesForDeathDeclaration is < 1 or > 10)
        {
            yield return "Cluster:Membership:NumVotesForDeathDeclaration must be between 1 and 10.";
        }

        if (TableRefreshTimeout < TimeSpan.FromSeconds(1) || TableRefreshTimeout > TimeSpan.FromMinutes(10))
        {
            yield return "Cluster:Membership:TableRefreshTimeout must be between 00:00:01 and 00:10:00.";
        }

        if (IAmAliveTablePublishTimeout < TimeSpan.FromSeconds(1) || IAmAliveTablePublishTimeout > TimeSpan.FromMinutes(10))
        {
            yield return "Cluster:Membership:IAmAliveTablePublishTimeout must be between 00:00:01 and 00:10:00.";
        }
    }
}
