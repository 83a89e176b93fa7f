namespace RAOrchestrator.Server.Configuration;

/// <summary>How readiness treats a storage outage.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>
    /// How long readiness stays true while Azure Table storage does not answer, once it has answered: a blip shorter
    /// than this does not take every silo out of its Service at once. The outage is reported at once by the
    /// <c>raorchestrator.storage.healthy</c> gauge (and /health/ready answers <c>Degraded</c>). Zero: no grace.
    /// </summary>
    public TimeSpan StorageGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the storage probe runs in the background, for the gauge, between readiness probes.</summary>
    public TimeSpan StorageProbeInterval { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<string> Validate()
    {
        if (StorageGrace < TimeSpan.Zero || StorageGrace > TimeSpan.FromMinutes(10))
        {
            yield return "Health:StorageGrace must be between 00:00:00 and 00:10:00 (default 00:00:30).";
        }

        if (StorageProbeInterval < TimeSpan.FromSeconds(1) || StorageProbeInterval > TimeSpan.FromMinutes(5))
        {
            yield return "Health:StorageProbeInterval must be between 00:00:01 and 00:05:00 (default 00:00:10).";
        }
    }
}
