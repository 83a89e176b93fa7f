using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Tenants;
using RAOrchestrator.Domain.Tenants.Ownership;

namespace RAOrchestrator.Domain.Tests.Tenants;

public sealed class OwnershipTests
{
    private const string Tenant = "3f6c4b8e-1a2b-4c5d-8e9f-0a1b2c3d4e5f";
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private static readonly TenantAdmin Admin = new(Tenant, "oid-1", "admin@contoso.example", "Ada Admin");

    private static TenantClaim ClaimBy(string partner, string id, TimeSpan? lifetime = null) =>
        new(id, partner, "op-" + id, "Company ABC", TenantSettings.Default, Now, Now + (lifetime ?? TimeSpan.FromDays(14)), ClaimStatus.Pending);

    [Fact]
    public void A_claim_gives_its_partner_nothing_until_approved()
    {
        var ownership = TenantOwnership.None.Claim(ClaimBy("fabrikam", "b"));

        Assert.Null(ownership.Owner);
        Assert.False(ownership.OwnedBy("fabrikam"));
        Assert.NotNull(ownership.PendingClaimOf("fabrikam"));
    }

    [Fact]
    public void Claims_of_several_partners_do_not_block_each_other_and_the_approved_one_supersedes_the_rest()
    {
        var ownership = TenantOwnership.None.Claim(ClaimBy("fabrikam", "b")).Claim(ClaimBy("contoso", "c"));

        var change = ownership.Approve("c", Admin, Now.AddHours(1));

        Assert.Equal("contoso", change.Next.Owner);
        Assert.Equal(ClaimStatus.Approved, change.Decided.Status);
        var superseded = Assert.Single(change.Superseded);
        Assert.Equal(("fabrikam", ClaimStatus.Superseded), (superseded.PartnerId, superseded.Status));
        Assert.Null(change.Next.PendingClaimOf("fabrikam"));
        Assert.Null(change.PreviousOwner);
        Assert.Equal([OwnershipEventKind.Claimed, OwnershipEventKind.Claimed, OwnershipEventKind.Approved, OwnershipEventKind.Superseded],
            change.Next.History.Select(e => e.Kind));
        Assert.Equal(Admin, change.Next.History[2].Admin);
    }

    [Fact]
    public void Only_an_approval_moves_a_tenant_to_another_partner_and_it_names_the_one_that_lost_it()
    {
        var owned = TenantOwnership.None.Claim(ClaimBy("contoso", "c")).Approve("c", Admin, Now).Next;
        var claimed = owned.Claim(ClaimBy("fabrikam", "b"));
        Assert.Equal("contoso", claimed.Owner);

        var change = claimed.Approve("b", Admin, Now.AddDays(1));

        Assert.Equal("fabrikam", change.Next.Owner);
        Assert.Equal("contoso", change.PreviousOwner);
    }

    [Fact]
    public void A_partner_cannot_claim_twice_nor_claim_what_it_owns()
    {
        var claimed = TenantOwnership.None.Claim(ClaimBy("contoso", "c"));
        var again = Assert.Throws<OrchestratorException>(() => claimed.Claim(ClaimBy("contoso", "d")));
        Assert.Equal((ErrorKind.AlreadyExists, Reasons.ClaimPending), (again.Kind, again.Reason));

        var owned = claimed.Approve("c", Admin, Now).Next;
        var owner = Assert.Throws<OrchestratorException>(() => owned.Claim(ClaimBy("contoso", "e")));
        Assert.Equal((ErrorKind.AlreadyExists, Reasons.TenantAlreadyOnboarded), (owner.Kind, owner.Reason));
    }

    [Fact]
    public void A_declined_claim_changes_no_owner_and_cannot_be_approved_afterwards()
    {
        var owned = TenantOwnership.None.Claim(ClaimBy("contoso", "c")).Approve("c", Admin, Now).Next;
        var declined = owned.Claim(ClaimBy("fabrikam", "b")).Decline("b", Admin, Now);

        Assert.Equal("contoso", declined.Next.Owner);
        Assert.Equal(ClaimStatus.Declined, declined.Decided.Status);
        var late = Assert.Throws<OrchestratorException>(() => declined.Next.Approve("b", Admin, Now));
        Assert.Equal(Reasons.ClaimNotPending, late.Reason);
    }

    [Fact]
    public void A_claim_expires_undecided_and_an_expired_claim_cannot_be_approved()
    {
        var claimed = TenantOwnership.None.Claim(ClaimBy("contoso", "c", TimeSpan.FromDays(14)));

        var tooLate = Assert.Throws<OrchestratorException>(() => claimed.Approve("c", Admin, Now.AddDays(14)));
        Assert.Equal(Reasons.ApprovalExpired, tooLate.Reason);

        var (next, expired) = claimed.Expire(Now.AddDays(14));
        Assert.Equal(ClaimStatus.Expired, Assert.Single(expired).Status);
        Assert.Null(next.PendingClaimOf("contoso"));
        Assert.Null(next.NextExpiry);
    }

    [Fact]
    public void Stored_ownership_stays_bounded_whatever_partners_do()
    {
        var ownership = TenantOwnership.None;
        for (var round = 0; round < 40; round++)
        {
            for (var p = 0; p < TenantOwnership.MaxPendingClaims; p++)
            {
                ownership = ownership.Claim(ClaimBy($"r{round}p{p}", $"{round}-{p}"));
            }

            var tooMany = Assert.Throws<OrchestratorException>(() => ownership.Claim(ClaimBy("one-more", $"{round}-x")));
            Assert.Equal(ErrorKind.ResourceExhausted, tooMany.Kind);
            ownership = ownership.Approve($"{round}-0", Admin, Now).Next;
        }

        Assert.True(ownership.Claims.Count <= TenantOwnership.MaxPendingClaims + TenantOwnership.MaxEndedClaims + 1);
        Assert.Equal(TenantOwnership.MaxHistory, ownership.History.Count);
        Assert.Equal("r39p0", ownership.Owner);
        Assert.NotNull(ownership.Find(ownership.OwnerClaimId!));
    }

    [Fact]
    public void Releasing_leaves_pending_claims_of_others_waiting()
    {
        var owned = TenantOwnership.None.Claim(ClaimBy("contoso", "c")).Approve("c", Admin, Now).Next.Claim(ClaimBy("fabrikam", "b"));

        var released = owned.Release(Now);

        Assert.Null(released.Owner);
        Assert.NotNull(released.PendingClaimOf("fabrikam"));
        Assert.Equal(OwnershipEventKind.Released, released.History[^1].Kind);
    }
}
