namespace RAOrchestrator.GraphEmulator.SignIn;

/// <summary>Entra directory role template ids the emulator knows, and the <c>wids</c> claim a signed-in user gets.</summary>
public static class DirectoryRoleIds
{
    public static readonly Guid GlobalAdministrator = Guid.Parse("62e90394-69f5-4237-9190-012177145e10");
    public static readonly Guid PrivilegedRoleAdministrator = Guid.Parse("e8611ab8-c189-46e8-94e1-60213ab1f814");
    /// <summary>The default role Entra puts in the <c>wids</c> of every member user.</summary>
    public static readonly Guid DefaultMember = Guid.Parse("b79fbf4d-3ef9-4689-8143-76b194e85509");
    /// <summary>The role Entra puts in the <c>wids</c> of guest users instead of the member role.</summary>
    public static readonly Guid GuestUser = Guid.Parse("10dae51f-b6af-4016-8d66-8c2a99b929b3");

    /// <summary>Whether these roles may grant admin consent for the whole organization.</summary>
    public static bool CanConsentForOrganization(IReadOnlySet<Guid> roles) =>
        roles.Contains(GlobalAdministrator) || roles.Contains(PrivilegedRoleAdministrator);

    /// <summary>The user's role template ids plus the default member (or guest) role, as in an id token.</summary>
    public static List<string> Wids(IReadOnlySet<Guid> roles, string? userType)
    {
        var baseline = string.Equals(userType, "Guest", StringComparison.OrdinalIgnoreCase) ? GuestUser : DefaultMember;
        return [.. roles.Append(baseline).Distinct().Select(r => r.ToString())];
    }
}
