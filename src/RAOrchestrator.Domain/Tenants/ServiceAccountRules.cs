using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Validation;

namespace RAOrchestrator.Domain.Tenants;

/// <summary>
/// What a service account must be, before and after the tenant is known: an id, a UPN of the form alias@domain in
/// one of the tenant's verified domains, a usage location (Graph needs one before any licence), and the SKUs its
/// licences come from (the tenant's plan, or the Remote Assist SKU and barrier suite the inventory has). Pure.
/// </summary>
public static class ServiceAccountRules
{
    public const string UpnDomainNotVerified = "UPN_DOMAIN_NOT_VERIFIED";
    public const string SkuNotFound = "SKU_NOT_FOUND";
    public const int MaxUpnLength = 113;

    /// <summary>1 to 63 lower-case letters, digits and '-', not starting with '-'.</summary>
    public static bool IsAccountId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 63 && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') && id[0] != '-';

    public static void CheckId(string? id, Violations violations, string field)
    {
        if (!IsAccountId(id))
        {
            violations.Add(field, "must be 1 to 63 lower-case letters, digits and '-'");
        }
    }

    public static bool IsUpn(string? upn)
    {
        if (string.IsNullOrEmpty(upn) || upn.Length > MaxUpnLength)
        {
            return false;
        }

        var at = upn.IndexOf('@', StringComparison.Ordinal);
        if (at < 1 || at != upn.LastIndexOf('@') || at == upn.Length - 1)
        {
            return false;
        }

        var alias = upn[..at];
        return alias.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') && !alias.StartsWith('.') && !alias.EndsWith('.');
    }

    public static void CheckUpn(string? upn, Violations violations, string field)
    {
        if (!IsUpn(upn))
        {
            violations.Add(field, "must be alias@domain, the alias letters, digits, '.', '-' or '_'");
        }
    }

    public static void CheckUsageLocation(string? location, Violations violations, string field)
    {
        if (location is not { Length: 2 } || !location.All(char.IsAsciiLetterUpper))
        {
            violations.Add(field, "is required before licences can be assigned: a two-letter country code such as US or DE");
        }
    }

    /// <summary>FAILED_PRECONDITION naming the field when the UPN's domain is not one of the tenant's verified domains; else null.</summary>
    public static OrchestratorException? UpnOutsideDomains(string upn, IReadOnlyList<string> verifiedDomains, string field)
    {
        var domain = upn[(upn.IndexOf('@', StringComparison.Ordinal) + 1)..];
        return verifiedDomains.Contains(domain, StringComparer.OrdinalIgnoreCase)
            ? null
            : new OrchestratorException(ErrorKind.FailedPrecondition, UpnDomainNotVerified,
                $"{OrchestratorException.Quote(domain)} is not a verified domain of the tenant; use one of: {string.Join(", ", verifiedDomains)}.",
                [new FieldViolation(field, "must be in one of the tenant's verified domains")]);
    }

    /// <summary>The Remote Assist SKU (and the barrier suite when asked) from the tenant's plan or its inventory; SKU_NOT_FOUND when missing.</summary>
    public static IReadOnlyList<Guid> Skus(IReadOnlyList<LicenceSku> inventory, LicencePlan plan, bool barrierSuite)
    {
        var remoteAssist = LicenceCatalog.RemoteAssist(inventory, plan) ?? throw new OrchestratorException(ErrorKind.FailedPrecondition, SkuNotFound,
            "The tenant has no Remote Assist SKU (or the licence plan names one it does not subscribe to); set license_plan.remote_assist_sku_id or buy licences.");
        if (!barrierSuite)
        {
            return [remoteAssist.SkuId];
        }

        var suite = LicenceCatalog.BarrierSuite(inventory, plan) ?? throw new OrchestratorException(ErrorKind.FailedPrecondition, SkuNotFound,
            "The tenant has no information-barrier-capable suite (Microsoft 365 E5, Office 365 E5, ...); set license_plan.barrier_suite_sku_id or buy one.");
        return [remoteAssist.SkuId, suite.SkuId];
    }
}
