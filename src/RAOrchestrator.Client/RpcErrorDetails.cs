using Google.Rpc;
using Grpc.Core;

namespace RAOrchestrator.Client;

/// <summary>The google.rpc details every RAOrchestrator error carries, read from an <see cref="RpcException"/>.</summary>
public sealed record RpcErrorDetails(
    StatusCode Code,
    string Message,
    string? Reason,
    IReadOnlyList<BadRequest.Types.FieldViolation> FieldViolations,
    IReadOnlyList<PreconditionFailure.Types.Violation> PreconditionViolations)
{
    public static RpcErrorDetails From(RpcException exception)
    {
        var status = exception.GetRpcStatus();
        return new RpcErrorDetails(
            exception.StatusCode,
            status?.Message ?? exception.Status.Detail,
            status?.GetDetail<ErrorInfo>()?.Reason,
            status?.GetDetail<BadRequest>()?.FieldViolations.ToArray() ?? [],
            status?.GetDetail<PreconditionFailure>()?.Violations.ToArray() ?? []);
    }
}
