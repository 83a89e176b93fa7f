namespace RAOrchestrator.Server.Security;

/// <summary>
/// Declares the role a gRPC method needs. Every method of our services carries one; PartnerAuthorization (in the API interceptor)
/// refuses a method without it, so a new RPC cannot go out unprotected by accident.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresRoleAttribute(PartnerRole role) : Attribute
{
    public PartnerRole Role { get; } = role;
}
