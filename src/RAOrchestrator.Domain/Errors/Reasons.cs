namespace RAOrchestrator.Domain.Errors;

/// <summary>The UPPER_SNAKE reasons callers see in google.rpc.ErrorInfo; one vocabulary for the whole API.</summary>
public static class Reasons
{
    public const string Domain = "raorchestrator.dev";

    public const string InvalidArgument = "INVALID_ARGUMENT";
    public const string NotFound = "NOT_FOUND";
    public const string EtagMismatch = "ETAG_MISMATCH";
    public const string TenantAlreadyOnboarded = "TENANT_ALREADY_ONBOARDED";
    public const string TenantNotActive = "TENANT_NOT_ACTIVE";
    public const string TenantNotReady = "TENANT_NOT_READY";
    public const string OperationInProgress = "OPERATION_IN_PROGRESS";
    public const string PartnerTenantQuotaExceeded = "PARTNER_TENANT_QUOTA_EXCEEDED";

    // Per-partner limits, so one partner cannot starve the others (RESOURCE_EXHAUSTED).
    public const string PartnerRateLimited = "PARTNER_RATE_LIMITED";
    public const string PartnerStreamLimit = "PARTNER_STREAM_LIMIT";
    public const string PartnerBulkLimit = "PARTNER_BULK_LIMIT";

    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string PartnerClaimMissing = "PARTNER_CLAIM_MISSING";
    public const string MissingRole = "MISSING_ROLE";
    public const string StorageUnavailable = "STORAGE_UNAVAILABLE";
    public const string ClusterUnavailable = "CLUSTER_UNAVAILABLE";
    public const string Timeout = "TIMEOUT";
    public const string Internal = "INTERNAL";

    // A request refused before any handler read it: over its method's size limit, or not a well-formed message.
    public const string MessageTooLarge = "MESSAGE_TOO_LARGE";
    public const string MalformedRequest = "MALFORMED_REQUEST";

    // Ownership of a customer tenant: claims and their approval by the tenant's administrator.
    public const string ClaimPending = "CLAIM_PENDING";
    public const string ClaimNotPending = "CLAIM_NOT_PENDING";
    public const string ClaimDeclined = "CLAIM_DECLINED";
    public const string ClaimSuperseded = "CLAIM_SUPERSEDED";
    public const string ApprovalExpired = "APPROVAL_EXPIRED";
    public const string TooManyClaims = "TOO_MANY_CLAIMS";
    public const string SignInWrongTenant = "SIGN_IN_WRONG_TENANT";
    public const string SignInNonceMismatch = "SIGN_IN_NONCE_MISMATCH";
    public const string SignInInvalid = "SIGN_IN_INVALID";
    public const string SignInExpired = "SIGN_IN_EXPIRED";
    public const string NotTenantAdmin = "NOT_TENANT_ADMIN";
    public const string TenantTransferred = "TENANT_TRANSFERRED";
}
