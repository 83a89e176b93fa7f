namespace RAOrchestrator.Domain.Errors;

/// <summary>
/// The failure classes the API distinguishes. Each value is the number of the gRPC status code it maps to, so
/// operation results and RPC errors share one vocabulary.
/// </summary>
public enum ErrorKind
{
    InvalidArgument = 3,
    NotFound = 5,
    AlreadyExists = 6,
    PermissionDenied = 7,
    ResourceExhausted = 8,
    FailedPrecondition = 9,
    Aborted = 10,
    Unimplemented = 12,
    Unavailable = 14,
    Unauthenticated = 16,
}
