using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Server.Configuration;

namespace RAOrchestrator.Server.Grpc;

/// <summary>
/// A token bucket per partner (<see cref="RateLimitOptions"/>), taken from once per call after the caller is
/// authenticated, so refused tokens spend no partner's budget. Counted by this host. A permit costs no allocation of
/// ours: the partitioner and the bucket factory are made once, the partition is a struct and a granted lease is the
/// limiter's shared one.
/// </summary>
public sealed class PartnerRequestRate : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly Func<string, RateLimiter> _bucket;

    public PartnerRequestRate(IOptions<RateLimitOptions> options)
    {
        var limits = options.Value;
        _bucket = partnerId => Bucket(limits.RateFor(partnerId));
        _limiter = PartitionedRateLimiter.Create<string, string>(partnerId => RateLimitPartition.Get(partnerId, _bucket));
    }

    /// <summary>Takes one permit of the partner's budget; RESOURCE_EXHAUSTED with the limiter's retry delay when none is left.</summary>
    public void Admit(string partnerId)
    {
        using var lease = _limiter.AttemptAcquire(partnerId);
        if (!lease.IsAcquired)
        {
            throw Refused(lease);
        }
    }

    private static OrchestratorException Refused(RateLimitLease lease) =>
        new(ErrorKind.ResourceExhausted, Reasons.PartnerRateLimited,
            "This partner is over its request rate (RateLimits); wait for the retry delay, then retry.")
        {
            RetryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1),
        };

    /// <summary>
    /// Refills in steps of at least 100 ms (a tenth of the rate, or one token for rates under 10 a second) on the
    /// bucket's own timer, so the retry delay a refusal reports is whole steps: the permits are there when it has passed.
    /// The partitioned limiter disposes a partner's bucket once it has been full for a while.
    /// </summary>
    private static TokenBucketRateLimiter Bucket(RequestRate rate)
    {
        var tokensPerPeriod = Math.Max(1, rate.RequestsPerSecond / 10);
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = rate.Burst,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = TimeSpan.FromTicks(TimeSpan.TicksPerSecond * tokensPerPeriod / rate.RequestsPerSecond),
            AutoReplenishment = true,
            QueueLimit = 0,
        });
    }

    public void Dispose() => _limiter.Dispose();
}
