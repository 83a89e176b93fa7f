namespace RAOrchestrator.Grains.Tenants;

/// <summary>The steps of a tenant's onboarding and offboarding workflows, in order.</summary>
public static class TenantWorkflows
{
    public const string RegisterWithPartner = "register-with-partner";
    public const string UnregisterFromPartner = "unregister-from-partner";

    public static readonly IReadOnlyList<(string Id, string Title)> Onboarding =
    [
        (RegisterWithPartner, "Record the tenant in the partner's index"),
    ];

    public static readonly IReadOnlyList<(string Id, string Title)> Offboarding =
    [
        (UnregisterFromPartner, "Remove the tenant from the partner's index"),
    ];
}
