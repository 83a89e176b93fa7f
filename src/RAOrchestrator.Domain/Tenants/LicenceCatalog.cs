using RAOrchestrator.Domain.Directory;

namespace RAOrchestrator.Domain.Tenants;

/// <summary>Recognises the SKUs this service assigns, unless the partner's licence plan names them.</summary>
public static class LicenceCatalog
{
    /// <summary>Dynamics 365 Remote Assist part numbers.</summary>
    public static readonly IReadOnlySet<string> RemoteAssistPartNumbers = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "MICROSOFT_REMOTE_ASSIST", "DYN365_REMOTE_ASSIST", "MICROSOFT_REMOTE_ASSIST_HOLOLENS",
    };

    /// <summary>Suites that include information barriers: Microsoft 365 E5, Office 365 E5, Office 365 Advanced Compliance, Microsoft 365 E5 Information Protection and Compliance.</summary>
    public static readonly IReadOnlySet<string> BarrierSuitePartNumbers = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "SPE_E5", "ENTERPRISEPREMIUM", "ENTERPRISEPREMIUM_NOPSTNCONF", "EQUIVIO_ANALYTICS", "INFORMATION_PROTECTION_COMPLIANCE",
    };

    public const string InformationBarriersServicePlan = "INFORMATION_BARRIERS";

    public static LicenceSku? RemoteAssist(IReadOnlyList<LicenceSku> inventory, LicencePlan plan) =>
        plan.RemoteAssistSku is { } chosen
            ? inventory.FirstOrDefault(s => s.SkuId == chosen)
            : inventory.FirstOrDefault(s => RemoteAssistPartNumbers.Contains(s.PartNumber));

    public static LicenceSku? BarrierSuite(IReadOnlyList<LicenceSku> inventory, LicencePlan plan) =>
        plan.BarrierSuiteSku is { } chosen
            ? inventory.FirstOrDefault(s => s.SkuId == chosen)
            : inventory.FirstOrDefault(s => BarrierSuitePartNumbers.Contains(s.PartNumber) || s.ServicePlans.Contains(InformationBarriersServicePlan, StringComparer.OrdinalIgnoreCase));
}
