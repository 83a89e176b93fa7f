using System.Threading.RateLimiting;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Server.Configuration;
using RAOrchestrator.Server.Security;

namespace RAOrchestrator.Server.Grpc;

/// <summary>
/// Server streams one partner holds open on this host, at most <see cref="RateLimitOptions.MaxStreamsPerPartner"/>: a
/// watch holds its slot for its lifetime, so a partner that never closes its watches runs into its own cap, not into
/// the host's connections and memory.
/// </summary>
public sealed class PartnerStreams : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public PartnerStreams(IOptions<RateLimitOptions> options)
    {
        var cap = new ConcurrencyLimiterOptions { PermitLimit = options.Value.MaxStreamsPerPartner, QueueLimit = 0 };
        _limiter = PartitionedRateLimiter.Create<string, string>(partnerId => RateLimitPartition.GetConcurrencyLimiter(partnerId, _ => cap));
    }

    /// <summary>
    /// A slot for the admitted call's partner (null for a call open to anyone, such as a health watch);
    /// RESOURCE_EXHAUSTED when the partner holds all of them.
    /// </summary>
    public StreamSlot? Enter(ServerCallContext context)
    {
        if (Caller.Find(context) is not { } caller)
        {
            return null;
        }

        var lease = _limiter.AttemptAcquire(caller.PartnerId);
        if (lease.IsAcquired)
        {
            return new StreamSlot(lease, context.CancellationToken);
        }

        lease.Dispose();
        throw new OrchestratorException(ErrorKind.ResourceExhausted, Reasons.PartnerStreamLimit,
            "This partner already holds as many open streams as it may (RateLimits:MaxStreamsPerPartner); end one, then retry.");
    }

    public void Dispose() => _limiter.Dispose();
}

/// <summary>
/// One stream's slot, given back when the handler ends or the caller cancels, whichever comes first: the caller has let
/// go of the stream the moment it cancels, even if the handler takes a moment to wind down.
/// </summary>
public sealed class StreamSlot : IDisposable
{
    private readonly CancellationTokenRegistration _cancelled;
    private RateLimitLease? _lease;

    internal StreamSlot(RateLimitLease lease, CancellationToken callCancelled)
    {
        _lease = lease;
        _cancelled = callCancelled.Register(static slot => ((StreamSlot)slot!).Release(), this);
    }

    public void Dispose()
    {
        _cancelled.Dispose();
        Release();
    }

    private void Release() => Interlocked.Exchange(ref _lease, null)?.Dispose();
}
