namespace RAOrchestrator.Server.Security;

/// <summary>What a partner's token allows. Write includes read.</summary>
public enum PartnerRole
{
    Read,
    Write,
}

/// <summary>The role values in the token's roles claim.</summary>
public static class PartnerRoleNames
{
    public const string Read = "RAOrchestrator.Read";
    public const string Write = "RAOrchestrator.Write";
}
