using System.Collections.Immutable;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Domain.Tenants.Ownership;

/// <summary>
/// Who owns a customer tenant and who asks to. Claims do not block each other: any number of partners may claim a
/// tenant; the one its administrator approves owns it, and every other pending claim ends superseded. Only an
/// approval moves a tenant to another partner. Pure: each change returns the next ownership and what it ended.
/// </summary>
/// <remarks>
/// Bounded so the tenant's stored state stays small whatever partners do: at most <see cref="MaxPendingClaims"/>
/// pending claims, the last <see cref="MaxEndedClaims"/> ended ones (their partners still read why), and the last
/// <see cref="MaxHistory"/> audit events.
/// </remarks>
[GenerateSerializer, Immutable, Alias("raorch.TenantOwnership")]
public sealed record TenantOwnership(
    [property: Id(0)] string? Owner,
    [property: Id(1)] string? OwnerClaimId,
    [property: Id(2)] ImmutableList<TenantClaim> Claims,
    [property: Id(3)] ImmutableList<OwnershipEvent> History)
{
    public const int MaxPendingClaims = 8;
    public const int MaxEndedClaims = 8;
    public const int MaxHistory = 64;

    public static readonly TenantOwnership None = new(null, null, [], []);

    public IEnumerable<TenantClaim> PendingClaims => Claims.Where(c => c.Pending);

    public TenantClaim? PendingClaimOf(string partnerId) => Claims.Find(c => c.Pending && c.PartnerId == partnerId);

    public TenantClaim? Find(string claimId) => Claims.Find(c => c.ClaimId == claimId);

    public bool OwnedBy(string partnerId) => Owner is not null && Owner == partnerId;

    /// <summary>Whether this partner was the last owner and let the tenant go (offboarded it), nobody owning it since.</summary>
    public bool ReleasedBy(string partnerId) =>
        Owner is null && History.LastOrDefault(e => e.Kind is OwnershipEventKind.Approved or OwnershipEventKind.Released) is { Kind: OwnershipEventKind.Released } last
        && last.PartnerId == partnerId;

    /// <summary>The earliest time a pending claim expires, if any is pending.</summary>
    public DateTimeOffset? NextExpiry => PendingClaims.Select(c => (DateTimeOffset?)c.ExpireTime).Min();

    /// <summary>
    /// A new claim by a partner that neither owns the tenant nor already waits for approval of it. Says the same
    /// whether or not another partner owns or claims the tenant.
    /// </summary>
    public TenantOwnership Claim(TenantClaim claim)
    {
        if (OwnedBy(claim.PartnerId))
        {
            throw new OrchestratorException(ErrorKind.AlreadyExists, Reasons.TenantAlreadyOnboarded,
                "You already manage this tenant; get it instead.");
        }

        if (PendingClaimOf(claim.PartnerId) is { } waiting)
        {
            throw new OrchestratorException(ErrorKind.AlreadyExists, Reasons.ClaimPending,
                $"You already asked to manage this tenant (operations/{waiting.OperationId}); send its approval link to an administrator of the tenant.");
        }

        if (PendingClaims.Count() >= MaxPendingClaims)
        {
            throw new OrchestratorException(ErrorKind.ResourceExhausted, Reasons.TooManyClaims,
                $"This tenant already has {MaxPendingClaims} claims waiting for its administrator; try again once they are decided or expired.");
        }

        return (this with { Claims = Claims.Add(claim) }).Record(new OwnershipEvent(claim.CreateTime, OwnershipEventKind.Claimed, claim.PartnerId, claim.ClaimId)).Trimmed();
    }

    /// <summary>
    /// An administrator of the tenant approves a pending claim: its partner owns the tenant from now on; every other
    /// pending claim ends superseded. The previous owner, if another partner, loses the tenant.
    /// </summary>
    public OwnershipChange Approve(string claimId, TenantAdmin admin, DateTimeOffset now)
    {
        var claim = RequirePending(claimId, now);
        var approved = claim with { Status = ClaimStatus.Approved, DecideTime = now, DecidedBy = admin };
        var superseded = PendingClaims.Where(c => c.ClaimId != claimId)
            .Select(c => c with { Status = ClaimStatus.Superseded, DecideTime = now, DecidedBy = admin }).ToList();
        var next = this with
        {
            Owner = claim.PartnerId,
            OwnerClaimId = claim.ClaimId,
            Claims = Claims.Select(c => c.ClaimId == claimId ? approved : superseded.Find(s => s.ClaimId == c.ClaimId) ?? c).ToImmutableList(),
        };
        next = next.Record(new OwnershipEvent(now, OwnershipEventKind.Approved, claim.PartnerId, claim.ClaimId, admin));
        foreach (var s in superseded)
        {
            next = next.Record(new OwnershipEvent(now, OwnershipEventKind.Superseded, s.PartnerId, s.ClaimId, admin));
        }

        var previous = Owner is { } owner && owner != claim.PartnerId ? owner : null;
        return new OwnershipChange(next.Trimmed(), approved, [.. superseded], previous);
    }

    /// <summary>An administrator of the tenant declines a pending claim; nothing else changes.</summary>
    public OwnershipChange Decline(string claimId, TenantAdmin admin, DateTimeOffset now)
    {
        var claim = RequirePending(claimId, now);
        var declined = claim with { Status = ClaimStatus.Declined, DecideTime = now, DecidedBy = admin };
        var next = (this with { Claims = Claims.Replace(claim, declined) })
            .Record(new OwnershipEvent(now, OwnershipEventKind.Declined, claim.PartnerId, claim.ClaimId, admin));
        return new OwnershipChange(next.Trimmed(), declined, [], null);
    }

    /// <summary>The claim's partner withdraws its pending claim.</summary>
    public OwnershipChange Withdraw(string claimId, DateTimeOffset now)
    {
        var claim = RequirePending(claimId, now);
        var withdrawn = claim with { Status = ClaimStatus.Withdrawn, DecideTime = now };
        var next = (this with { Claims = Claims.Replace(claim, withdrawn) })
            .Record(new OwnershipEvent(now, OwnershipEventKind.Withdrawn, claim.PartnerId, claim.ClaimId));
        return new OwnershipChange(next.Trimmed(), withdrawn, [], null);
    }

    /// <summary>Ends every pending claim whose time is up.</summary>
    public (TenantOwnership Next, IReadOnlyList<TenantClaim> Expired) Expire(DateTimeOffset now)
    {
        var expired = PendingClaims.Where(c => c.ExpireTime <= now).Select(c => c with { Status = ClaimStatus.Expired, DecideTime = now }).ToList();
        if (expired.Count == 0)
        {
            return (this, []);
        }

        var next = this with { Claims = Claims.Select(c => expired.Find(e => e.ClaimId == c.ClaimId) ?? c).ToImmutableList() };
        foreach (var e in expired)
        {
            next = next.Record(new OwnershipEvent(now, OwnershipEventKind.Expired, e.PartnerId, e.ClaimId));
        }

        return (next.Trimmed(), expired);
    }

    /// <summary>The owner offboarded the tenant: nobody owns it; pending claims of other partners stay pending.</summary>
    public TenantOwnership Release(DateTimeOffset now) => Owner is not { } owner
        ? this
        : (this with { Owner = null, OwnerClaimId = null }).Record(new OwnershipEvent(now, OwnershipEventKind.Released, owner, OwnerClaimId ?? string.Empty)).Trimmed();

    private TenantClaim RequirePending(string claimId, DateTimeOffset now)
    {
        var claim = Find(claimId) ?? throw new OrchestratorException(ErrorKind.NotFound, Reasons.NotFound, "This approval request does not exist.");
        if (claim.Pending && claim.ExpireTime <= now)
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, Reasons.ApprovalExpired,
                "This approval request has expired; the partner has to ask again.");
        }

        return claim.Pending ? claim : throw new OrchestratorException(ErrorKind.FailedPrecondition, Reasons.ClaimNotPending,
            $"This approval request was already decided ({claim.Status.ToString().ToLowerInvariant()}).");
    }

    private TenantOwnership Record(OwnershipEvent entry) => this with { History = History.Add(entry) };

    /// <summary>Keeps the pending claims and the owner's, the newest ended ones, and the newest history.</summary>
    private TenantOwnership Trimmed()
    {
        var ended = Claims.Where(c => !c.Pending && c.ClaimId != OwnerClaimId).ToList();
        var drop = ended.Take(Math.Max(0, ended.Count - MaxEndedClaims)).Select(c => c.ClaimId).ToHashSet();
        return this with
        {
            Claims = drop.Count == 0 ? Claims : Claims.RemoveAll(c => drop.Contains(c.ClaimId)),
            History = History.Count <= MaxHistory ? History : History.RemoveRange(0, History.Count - MaxHistory),
        };
    }
}

/// <summary>The result of a decision: the next ownership, the decided claim, the claims it superseded, and the partner that lost the tenant.</summary>
public sealed record OwnershipChange(
    TenantOwnership Next,
    TenantClaim Decided,
    IReadOnlyList<TenantClaim> Superseded,
    string? PreviousOwner);
