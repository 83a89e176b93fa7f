using RAOrchestrator.Domain.Resources;

namespace RAOrchestrator.Server.Configuration;

/// <summary>
/// Per-partner limits, so one partner cannot starve the others: a request rate (token bucket), concurrent streams and
/// running bulk operations. Rate and streams are counted by each host (a partner may use them on every replica); bulk
/// operations across the cluster, by the partner's grain.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";
    public const int MaxRequestsPerSecond = 100_000;
    public const int MaxBurst = 1_000_000;
    public const int MaxStreams = 100_000;
    public const int MaxBulkOperations = 1_000;

    /// <summary>The budget of every partner without an override.</summary>
    public RequestRate Default { get; set; } = new();

    /// <summary>Overrides by partner id; an unset value falls back to <see cref="Default"/>.</summary>
    public Dictionary<string, RequestRateOverride> Partners { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Server-streaming calls (WatchSession, WatchOperation) one partner may hold open at once on one host.</summary>
    public int MaxStreamsPerPartner { get; set; } = 100;

    /// <summary>Bulk onboardings one partner may have not done at once, across the cluster.</summary>
    public int MaxRunningBulkOperationsPerPartner { get; set; } = 4;

    /// <summary>The budget of <paramref name="partnerId"/>: its override where set, else the default.</summary>
    public RequestRate RateFor(string partnerId) =>
        Partners.TryGetValue(partnerId, out var custom)
            ? new RequestRate { RequestsPerSecond = custom.RequestsPerSecond ?? Default.RequestsPerSecond, Burst = custom.Burst ?? Default.Burst }
            : Default;

    public IEnumerable<string> Validate()
    {
        foreach (var error in Check($"{Section}:Default", Default.RequestsPerSecond, Default.Burst))
        {
            yield return error;
        }

        foreach (var (partnerId, custom) in Partners)
        {
            if (!PartnerId.IsValid(partnerId))
            {
                yield return $"{Section}:Partners:{partnerId} must be named by a partner id (1 to 64 lower-case letters, digits and '-').";
            }

            var rate = RateFor(partnerId);
            foreach (var error in Check($"{Section}:Partners:{partnerId}", rate.RequestsPerSecond, rate.Burst))
            {
                yield return error;
            }
        }

        if (MaxStreamsPerPartner is < 1 or > MaxStreams)
        {
            yield return $"{Section}:MaxStreamsPerPartner must be between 1 and {MaxStreams}.";
        }

        if (MaxRunningBulkOperationsPerPartner is < 1 or > MaxBulkOperations)
        {
            yield return $"{Section}:MaxRunningBulkOperationsPerPartner must be between 1 and {MaxBulkOperations}.";
        }
    }

    private static IEnumerable<string> Check(string name, int requestsPerSecond, int burst)
    {
        if (requestsPerSecond is < 1 or > MaxRequestsPerSecond)
        {
            yield return $"{name}:RequestsPerSecond must be between 1 and {MaxRequestsPerSecond}.";
        }

        if (burst is < 1 or > MaxBurst)
        {
            yield return $"{name}:Burst must be between 1 and {MaxBurst}.";
        }
    }
}

/// <summary>A token bucket: <see cref="RequestsPerSecond"/> sustained, up to <see cref="Burst"/> at once after a quiet spell.</summary>
public sealed class RequestRate
{
    public int RequestsPerSecond { get; set; } = 200;
    public int Burst { get; set; } = 400;
}

/// <summary>One partner's budget; what it leaves unset is the default's.</summary>
public sealed class RequestRateOverride
{
    public int? RequestsPerSecond { get; set; }
    public int? Burst { get; set; }
}
