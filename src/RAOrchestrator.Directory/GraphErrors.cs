using Azure.Identity;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Identity.Client;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Directory;

/// <summary>Graph and Entra failures as domain errors with a reason a partner can act on.</summary>
public static class GraphErrors
{
    public const string ConsentMissing = "CONSENT_MISSING";
    public const string TenantUnknownToEntra = "TENANT_UNKNOWN_TO_ENTRA";
    public const string AppCredentialRejected = "APP_CREDENTIAL_REJECTED";
    public const string UsageLocationMissing = "USAGE_LOCATION_MISSING";
    public const string NoSeatsAvailable = "NO_SEATS_AVAILABLE";
    public const string SkuNotFound = "SKU_NOT_FOUND";
    public const string LicenceConflict = "LICENCE_CONFLICT";
    public const string AppAccessPolicyMissing = "APP_ACCESS_POLICY_MISSING";
    public const string GraphPermissionDenied = "GRAPH_PERMISSION_DENIED";
    public const string DirectoryObjectNotFound = "DIRECTORY_OBJECT_NOT_FOUND";
    public const string UpnConflict = "UPN_CONFLICT";
    public const string GraphUnavailable = "GRAPH_UNAVAILABLE";
    public const string GraphRejected = "GRAPH_REQUEST_REJECTED";

    /// <summary>Whether the error says another user already has this UPN (a retried create that did happen).</summary>
    public static bool IsUpnConflict(ODataError error) =>
        error.ResponseStatusCode == 400 && (error.Error?.Message?.Contains("already exists", StringComparison.OrdinalIgnoreCase) == true
            || error.Error?.Details?.Any(d => d.Code == "ObjectConflict") == true);

    public static OrchestratorException Map(Exception exception, string tenantId, string? clientId) => exception switch
    {
        OrchestratorException known => known,
        AuthenticationFailedException auth => FromAuthentication(auth, tenantId, clientId),
        ODataError odata => FromOData(odata, tenantId),
        Throttling.GraphTimeoutException timeout => new OrchestratorException(ErrorKind.Unavailable, Reasons.Timeout, $"{timeout.Message} Tenant {tenantId}; the work will be retried."),
        _ => new OrchestratorException(ErrorKind.Unavailable, GraphUnavailable, $"Microsoft Graph could not be reached for tenant {tenantId}; the work will be retried."),
    };

    private static OrchestratorException FromAuthentication(AuthenticationFailedException auth, string tenantId, string? clientId)
    {
        // Azure.Identity keeps the AADSTS code on the inner MSAL exception, not in its own message.
        var detail = auth.InnerException is MsalServiceException msal ? $"{msal.ErrorCode} {msal.Message} {msal.ResponseBody}" : auth.InnerException?.Message ?? auth.Message;
        if (detail.Contains("AADSTS65001", StringComparison.Ordinal) || detail.Contains("consent_required", StringComparison.Ordinal))
        {
            return new OrchestratorException(ErrorKind.FailedPrecondition, ConsentMissing,
                $"Tenant {tenantId} has not granted admin consent to the MSP app. A Global Administrator of the tenant must consent at https://login.microsoftonline.com/{tenantId}/adminconsent?client_id={clientId}, then re-run the checks.");
        }

        if (detail.Contains("AADSTS90002", StringComparison.Ordinal) || detail.Contains("AADSTS900023", StringComparison.Ordinal))
        {
            return new OrchestratorException(ErrorKind.FailedPrecondition, TenantUnknownToEntra,
                $"Entra ID does not know tenant {tenantId}; check the tenant id.");
        }

        if (detail.Contains("AADSTS7000215", StringComparison.Ordinal) || detail.Contains("AADSTS7000222", StringComparison.Ordinal)
            || detail.Contains("AADSTS700016", StringComparison.Ordinal) || detail.Contains("AADSTS700027", StringComparison.Ordinal))
        {
            return new OrchestratorException(ErrorKind.FailedPrecondition, AppCredentialRejected,
                "Entra ID rejected the MSP app's credential (wrong or expired secret or certificate, or unknown app); the operator must fix Graph:ClientId and its credential.");
        }

        if (TimedOut(auth))
        {
            return new OrchestratorException(ErrorKind.Unavailable, Reasons.Timeout, $"Entra ID did not answer a token request for tenant {tenantId} in time; the work will be retried.");
        }

        return new OrchestratorException(ErrorKind.Unavailable, GraphUnavailable, $"No token could be obtained for tenant {tenantId}; the work will be retried.");
    }

    /// <summary>
    /// Whether a token request failed because its attempts ran past their network timeout: Azure.Core cancels such an
    /// attempt (a <see cref="TaskCanceledException"/>, gathered with the others when its retries run out).
    /// </summary>
    private static bool TimedOut(Exception exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is TimeoutException or TaskCanceledException or MsalException { ErrorCode: MsalError.RequestTimeout }
                || (inner is AggregateException aggregate && aggregate.InnerExceptions.Any(TimedOut)))
            {
                return true;
            }
        }

        return false;
    }

    private static OrchestratorException FromOData(ODataError error, string tenantId)
    {
        var message = error.Error?.Message ?? string.Empty;
        var code = error.Error?.Code ?? string.Empty;
        return error.ResponseStatusCode switch
        {
            400 when message.Contains("usage location", StringComparison.OrdinalIgnoreCase) =>
                new(ErrorKind.FailedPrecondition, UsageLocationMissing, "The user has no usage location; set one (a two-letter country code) before assigning licences."),
            400 when message.Contains("available licenses", StringComparison.OrdinalIgnoreCase) || message.Contains("CountViolation", StringComparison.OrdinalIgnoreCase) =>
                new(ErrorKind.ResourceExhausted, NoSeatsAvailable, $"The tenant has no free seat of that licence: {message} Buy more seats or free one."),
            400 when message.Contains("does not correspond to a valid company License", StringComparison.OrdinalIgnoreCase) =>
                new(ErrorKind.FailedPrecondition, SkuNotFound, $"The tenant does not subscribe to that licence SKU: {message} Choose a SKU from the licence summary."),
            400 when message.Contains("mutually exclusive", StringComparison.OrdinalIgnoreCase) =>
                new(ErrorKind.FailedPrecondition, LicenceConflict, $"{message} Remove the conflicting licence or disable one of the plans."),
            400 when message.Contains("does not have a corresponding license", StringComparison.OrdinalIgnoreCase) =>
                new(ErrorKind.FailedPrecondition, Domain.Directory.DirectoryFootprint.LicenceNotHeld, $"The user does not hold that licence: {message}"),
            400 when IsUpnConflict(error) =>
                new(ErrorKind.AlreadyExists, UpnConflict, message),
            403 when message.Contains("application access policy", StringComparison.OrdinalIgnoreCase) =>
                new(ErrorKind.FailedPrecondition, AppAccessPolicyMissing,
                    "Teams has no application access policy for the MSP app in this tenant; run the runbook's New-CsApplicationAccessPolicy and Grant-CsApplicationAccessPolicy (changes take up to 30 minutes)."),
            401 or 403 =>
                new(ErrorKind.FailedPrecondition, GraphPermissionDenied, $"Graph refused the MSP app in tenant {tenantId} ({code}): {message} Check the app's granted permissions and consent."),
            404 => new(ErrorKind.NotFound, DirectoryObjectNotFound, $"The directory object was not found in tenant {tenantId}."),
            429 or >= 500 => new(ErrorKind.Unavailable, GraphUnavailable, $"Microsoft Graph stayed unavailable or throttled for tenant {tenantId}; the work will be retried."),
            _ => new(ErrorKind.FailedPrecondition, GraphRejected, $"Graph refused the request ({code}): {message}"),
        };
    }
}
