using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Licensing;

namespace RAOrchestrator.Domain.Tests.Directory;

public sealed class DirectoryFootprintTests
{
    private static readonly Guid RemoteAssist = Guid.NewGuid();
    private static readonly Guid E5 = Guid.NewGuid();

    [Fact]
    public void An_adopted_user_is_given_only_the_licences_it_lacks()
    {
        Assert.Equal([RemoteAssist], DirectoryFootprint.ToAssign([RemoteAssist, E5], [E5]));
        Assert.Empty(DirectoryFootprint.ToAssign([RemoteAssist], [RemoteAssist, E5]));
    }

    [Fact]
    public void Only_assigned_licences_the_user_still_holds_are_removed()
    {
        Assert.Equal([RemoteAssist], DirectoryFootprint.ToRemove([RemoteAssist], [RemoteAssist, E5]));
        Assert.Empty(DirectoryFootprint.ToRemove([RemoteAssist], [E5]));
        Assert.Empty(DirectoryFootprint.ToRemove([], [RemoteAssist, E5]));
    }

    [Fact]
    public void A_upn_held_by_one_account_is_refused_to_another_whatever_its_case()
    {
        var (claims, refused) = UpnClaims.Empty.Claim("Vendor@contoso.com", "tenants/t/serviceAccounts/a", "tenants/t");
        Assert.Null(refused);

        var (again, same) = claims.Claim("vendor@contoso.com", "tenants/t/serviceAccounts/a", "tenants/t");
        Assert.Null(same);
        Assert.Same(claims, again);

        var (_, other) = claims.Claim("VENDOR@contoso.com", "tenants/t/serviceAccounts/b", "tenants/t");
        Assert.Equal((ErrorKind.AlreadyExists, UpnClaims.UpnInUseByAccount), (other!.Kind, other.Reason));
        Assert.Contains("tenants/t/serviceAccounts/a", other.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_released_upn_can_be_claimed_again_and_releasing_twice_changes_nothing()
    {
        var (claims, _) = UpnClaims.Empty.Claim("vendor@contoso.com", "a", "tenants/t");
        var released = claims.Release("a");
        Assert.Null(released.HolderOf("vendor@contoso.com"));
        Assert.Same(released, released.Release("a"));
        Assert.Same(claims, claims.Release("b"));
        Assert.Null(released.Claim("vendor@contoso.com", "b", "tenants/t").Refused);
    }

    [Fact]
    public void Once_closed_no_new_upn_is_claimed_but_a_holder_keeps_its_own()
    {
        var (claims, _) = UpnClaims.Empty.Claim("held@contoso.com", "a", "tenants/t");
        var closed = claims with { Closed = true };

        var (_, refused) = closed.Claim("new@contoso.com", "b", "tenants/t");
        Assert.Equal((ErrorKind.FailedPrecondition, Reasons.TenantNotActive), (refused!.Kind, refused.Reason));
        Assert.Null(closed.Claim("held@contoso.com", "a", "tenants/t").Refused);
    }
}
