using RAOrchestrator.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Tenants;
using RAOrchestrator.Domain.Validation;

namespace RAOrchestrator.Server.Grpc;

/// <summary>
/// The field checks of a service account, one set for CreateServiceAccount and for the plans of a bulk onboarding:
/// each violation names its field under the given prefix (<c>service_account.</c>, <c>tenants[3].service_accounts[1].</c>).
/// </summary>
public static class ServiceAccountValidation
{
    public static void Check(string? displayName, string? userPrincipalName, string? usageLocation, IEnumerable<KeyValuePair<string, string>> attributes,
        Violations violations, string prefix)
    {
        DisplayName.Check(displayName, violations, $"{prefix}display_name");
        ServiceAccountRules.CheckUpn(userPrincipalName, violations, $"{prefix}user_principal_name");
        ServiceAccountRules.CheckUsageLocation(usageLocation, violations, $"{prefix}usage_location");
        CheckAttributes(attributes, violations, prefix);
    }

    public static void CheckAttributes(IEnumerable<KeyValuePair<string, string>> attributes, Violations violations, string prefix)
    {
        foreach (var (attribute, value) in attributes)
        {
            if (!UserAttributes.IsWritable(attribute))
            {
                violations.Add($"{prefix}attributes[{OrchestratorException.Quote(attribute)}]", $"is not settable; settable: {string.Join(", ", UserAttributes.Writable)}");
            }
            else if (value.Length > 256)
            {
                violations.Add($"{prefix}attributes[{attribute}]", "must be at most 256 characters");
            }
        }
    }
}
