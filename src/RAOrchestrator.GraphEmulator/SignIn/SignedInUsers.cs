using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.GraphEmulator.Tokens;

namespace RAOrchestrator.GraphEmulator.SignIn;

/// <summary>A directory's user as their tokens for one app describe them.</summary>
public static class SignedInUsers
{
    /// <summary>The user, or null when they no longer exist.</summary>
    public static SignedInUser? Find(EmulatorState state, TenantState tenant, string userId, string clientId)
    {
        lock (state.Sync)
        {
            // At the partner issuer, the staff member's partner (a directory extension) and the app roles assigned on
            // this app are emitted as the optional claim partner_id and the roles claim.
            var staff = ReferenceEquals(tenant, state.PartnerDirectory) ? state.PartnerStaff.GetValueOrDefault(userId) : null;
            return tenant.FindUser(userId) is { } u
                ? new SignedInUser(userId, (string?)u["displayName"] ?? "", (string?)u["userPrincipalName"] ?? "",
                    DirectoryRoleIds.Wids(tenant.RolesOf(userId), (string?)u["userType"]),
                    staff?.PartnerId, staff?.RolesOn(clientId))
                : null;
        }
    }
}
