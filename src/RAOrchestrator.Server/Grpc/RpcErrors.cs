using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RAOrchestrator.Domain.Errors;
using Status = Google.Rpc.Status;

namespace RAOrchestrator.Server.Grpc;

/// <summary>
/// The one place where failures become gRPC statuses. Every status carries a google.rpc.ErrorInfo with an
/// UPPER_SNAKE reason; invalid input adds BadRequest field violations, failed preconditions a PreconditionFailure, and
/// an error that knows when to try again (a partner over its request rate) a RetryInfo.
/// Nothing internal (stack traces, exception messages of libraries) reaches the caller.
/// </summary>
public static class RpcErrors
{
    public static RpcException From(OrchestratorException error)
    {
        // ErrorKind values are gRPC code numbers by design.
        var code = System.Enum.IsDefined(error.Kind) ? (Code)(int)error.Kind : Code.Internal;

        var status = new Status { Code = (int)code, Message = error.Message };
        var info = Info(error.Reason);
        foreach (var (key, value) in error.Metadata ?? new Dictionary<string, string>())
        {
            info.Metadata[key] = value;
        }

        status.Details.Add(Any.Pack(info));
        if (error.Violations.Count > 0)
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.AddRange(error.Violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
            status.Details.Add(Any.Pack(badRequest));
        }

        if (code == Code.FailedPrecondition)
        {
            status.Details.Add(Any.Pack(new PreconditionFailure
            {
                Violations = { new PreconditionFailure.Types.Violation { Type = error.Reason, Description = error.Message } },
            }));
        }

        if (error.RetryAfter is { } retryAfter)
        {
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Delay(retryAfter) }));
        }

        return status.ToRpcException();
    }

    public static RpcException Unavailable(string reason, string message) => Simple(Code.Unavailable, reason, message);

    public static RpcException Internal()
    {
        var trace = Activity.Current?.TraceId.ToString();
        return Simple(Code.Internal, Reasons.Internal,
            trace is null ? "An internal error occurred." : $"An internal error occurred; quote trace id {trace} to the operator.");
    }

    public static RpcException Cancelled() => Simple(Code.Cancelled, "CANCELLED", "The call was cancelled.");

    private static RpcException Simple(Code code, string reason, string message)
    {
        var status = new Status { Code = (int)code, Message = message };
        status.Details.Add(Any.Pack(Info(reason)));
        return status.ToRpcException();
    }

    /// <summary>Whole milliseconds, rounded up and at least one: a caller that waits this long never comes back early.</summary>
    private static Duration Delay(TimeSpan delay)
    {
        var ms = Math.Max(1, (delay.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond);
        return new Duration { Seconds = ms / 1000, Nanos = (int)(ms % 1000) * 1_000_000 };
    }

    private static ErrorInfo Info(string reason) => new() { Reason = reason, Domain = Reasons.Domain };
}
