using Microsoft.Graph.Models.ODataErrors;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.SignInPasses;

namespace RAOrchestrator.Directory;

/// <summary>Graph's refusals of a Temporary Access Pass as the domain's reasons, each with its remedy.</summary>
public static class SignInPassErrors
{
    public const string PolicyId = "TemporaryAccessPass";
    public const string WritePermission = "UserAuthMethod-TAP.ReadWrite.All";

    public static OrchestratorException PermissionMissing(string tenantId, string permission) =>
        new(ErrorKind.FailedPrecondition, GraphErrors.GraphPermissionDenied,
            $"Graph refused the MSP app in tenant {tenantId}: it needs the application permission {permission} with admin consent (see the tenant runbook).");

    /// <summary>The domain error for Graph's refusal of a create, or null to map it as any other Graph error.</summary>
    public static OrchestratorException? FromCreate(ODataError error, string tenantId)
    {
        var message = error.Error?.Message ?? string.Empty;
        return error.ResponseStatusCode switch
        {
            403 => PermissionMissing(tenantId, WritePermission),
            400 when message.Contains("not enabled", StringComparison.OrdinalIgnoreCase) =>
                new OrchestratorException(ErrorKind.FailedPrecondition, PassRequestRules.TapPolicyDisabled,
                    $"Tenant {tenantId}'s Temporary Access Pass policy does not allow a pass for this account; an administrator enables it as the tenant runbook's section \"{PassRequestRules.RunbookSection}\" shows.")
                {
                    Metadata = new Dictionary<string, string> { ["runbook_section"] = PassRequestRules.RunbookSection },
                },
            400 when message.Contains("LifetimeInMinutes", StringComparison.OrdinalIgnoreCase) =>
                new OrchestratorException(ErrorKind.FailedPrecondition, PassRequestRules.TapLifetimeOutOfBounds,
                    $"Tenant {tenantId}'s Temporary Access Pass policy refused the lifetime: {message}"),
            400 when message.Contains("isUsableOnce", StringComparison.OrdinalIgnoreCase) =>
                new OrchestratorException(ErrorKind.FailedPrecondition, PassRequestRules.TapMustBeUsableOnce,
                    $"Tenant {tenantId}'s Temporary Access Pass policy allows one-time passes only."),
            _ => null,
        };
    }
}
