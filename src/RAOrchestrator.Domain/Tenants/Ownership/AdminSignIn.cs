using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Domain.Tenants.Ownership;

/// <summary>The claims of a signed id token that decide whether its user may hand a tenant to a partner.</summary>
public sealed record AdminIdentity(
    string TenantId,
    string ObjectId,
    string UserPrincipalName,
    string DisplayName,
    string? Nonce,
    IReadOnlyCollection<string> DirectoryRoles);

/// <summary>
/// Whether a verified id token proves that an administrator of the claimed tenant is deciding this claim. The
/// token's signature, issuer, audience and lifetime are checked where the keys are (the host); these are the rules
/// on its claims. Query parameters of a redirect are never proof: only a token that passed both checks is.
/// </summary>
public static class AdminSignIn
{
    /// <summary>Global Administrator's role template id.</summary>
    public const string GlobalAdministrator = "62e90394-69f5-4237-9190-012177145e10";

    /// <summary>Privileged Role Administrator's role template id.</summary>
    public const string PrivilegedRoleAdministrator = "e8611ab8-c189-46e8-94e1-60213ab1f814";

    /// <summary>The roles that can grant tenant-wide admin consent, and so may hand the tenant to a partner.</summary>
    public static readonly IReadOnlySet<string> ApprovingRoles = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        GlobalAdministrator,
        PrivilegedRoleAdministrator,
    };

    /// <summary>The administrator the token names; refuses a token of another tenant, of another sign-in, or of a non-administrator.</summary>
    public static TenantAdmin Verify(AdminIdentity identity, string claimedTenantId, string expectedNonce)
    {
        CheckTenantAndNonce(identity, claimedTenantId, expectedNonce, "an administrator account of the organization that is asked", "this approval. Start again from the approval link");
        if (!identity.DirectoryRoles.Any(ApprovingRoles.Contains))
        {
            throw new OrchestratorException(ErrorKind.PermissionDenied, Reasons.NotTenantAdmin,
                "Only a Global Administrator or a Privileged Role Administrator of the organization can decide this request.");
        }

        return User(identity);
    }

    /// <summary>
    /// Any user of the tenant the sign-in was started for (the lobby console: what they may do is the session's rules'
    /// business); refuses a token of another tenant or of another sign-in.
    /// </summary>
    public static TenantAdmin VerifyUser(AdminIdentity identity, string tenantId, string expectedNonce)
    {
        CheckTenantAndNonce(identity, tenantId, expectedNonce, "your work account of the organization you chose", "this browser's sign-in. Sign in again");
        return User(identity);
    }

    private static void CheckTenantAndNonce(AdminIdentity identity, string tenantId, string expectedNonce, string whichAccount, string whichSignIn)
    {
        if (!string.Equals(identity.TenantId, tenantId, StringComparison.OrdinalIgnoreCase))
        {
            throw new OrchestratorException(ErrorKind.PermissionDenied, Reasons.SignInWrongTenant,
                $"You signed in with an account of another organization. Sign in with {whichAccount}.");
        }

        if (identity.Nonce is null || !FixedTimeEquals(identity.Nonce, expectedNonce))
        {
            throw new OrchestratorException(ErrorKind.PermissionDenied, Reasons.SignInNonceMismatch, $"This sign-in does not belong to {whichSignIn}.");
        }
    }

    private static TenantAdmin User(AdminIdentity identity) => identity.ObjectId.Length == 0
        ? throw new OrchestratorException(ErrorKind.PermissionDenied, Reasons.SignInInvalid, "The sign-in did not name its user.")
        : new TenantAdmin(identity.TenantId.ToLowerInvariant(), identity.ObjectId, identity.UserPrincipalName, identity.DisplayName);

    private static bool FixedTimeEquals(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(a), System.Text.Encoding.UTF8.GetBytes(b));
}
