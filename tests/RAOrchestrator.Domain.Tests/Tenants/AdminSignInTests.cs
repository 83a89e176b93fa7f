using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Tenants.Ownership;

namespace RAOrchestrator.Domain.Tests.Tenants;

public sealed class AdminSignInTests
{
    private const string Tenant = "3f6c4b8e-1a2b-4c5d-8e9f-0a1b2c3d4e5f";
    private const string DefaultMemberRole = "b79fbf4d-3ef9-4689-8143-76b194e85509";

    private static AdminIdentity Identity(string tenant = Tenant, string? nonce = "n-1", params string[] roles) =>
        new(tenant, "oid-1", "admin@companyabc.com", "Ada Admin", nonce, roles.Length == 0 ? [DefaultMemberRole, AdminSignIn.GlobalAdministrator] : roles);

    [Theory]
    [InlineData(AdminSignIn.GlobalAdministrator)]
    [InlineData(AdminSignIn.PrivilegedRoleAdministrator)]
    public void A_global_or_privileged_role_administrator_of_the_claimed_tenant_may_decide(string role)
    {
        var admin = AdminSignIn.Verify(Identity(roles: [DefaultMemberRole, role]), Tenant, "n-1");

        Assert.Equal(("oid-1", "admin@companyabc.com", Tenant), (admin.ObjectId, admin.UserPrincipalName, admin.TenantId));
    }

    [Fact]
    public void A_user_without_an_approving_role_is_refused()
    {
        var refused = Assert.Throws<OrchestratorException>(() => AdminSignIn.Verify(Identity(roles: [DefaultMemberRole]), Tenant, "n-1"));

        Assert.Equal((ErrorKind.PermissionDenied, Reasons.NotTenantAdmin), (refused.Kind, refused.Reason));
    }

    [Fact]
    public void An_administrator_of_another_tenant_is_refused()
    {
        var refused = Assert.Throws<OrchestratorException>(() => AdminSignIn.Verify(Identity(tenant: "5d2e8f1a-3b4c-4d6e-9f70-81a2b3c4d5e6"), Tenant, "n-1"));

        Assert.Equal(Reasons.SignInWrongTenant, refused.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("n-2")]
    [InlineData("")]
    public void A_token_from_another_sign_in_is_refused(string? nonce)
    {
        var refused = Assert.Throws<OrchestratorException>(() => AdminSignIn.Verify(Identity(nonce: nonce), Tenant, "n-1"));

        Assert.Equal(Reasons.SignInNonceMismatch, refused.Reason);
    }
}
