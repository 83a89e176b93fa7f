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

    /// <summary>RESOURCE_EXHAUSTED for a request message over its method's limit; ErrorInfo metadata limit_bytes holds the limit.</summary>
    public static Status MessageTooLarge(string method, int limitBytes)
    {
        var status = new Status
        {
            Code = (int)Code.ResourceExhausted,
            Message = $"The request message is larger than {limitBytes} bytes, the most {method} accepts; nothing was done. Send less in one request.",
        };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = Reasons.MessageTooLarge, Domain = Reasons.Domain, Metadata = { ["limit_bytes"] = limitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) } }));
        return status;
    }

    /// <summary>INVALID_ARGUMENT for a body that is not one well-formed request message in one gRPC frame.</summary>
    public static Status MalformedRequest(string method)
    {
        var status = new Status
        {
            Code = (int)Code.InvalidArgument,
            Message = $"The request is not one well-formed {method} message: the frame is cut short or followed by more bytes, the bytes are not protobuf, or a string is not UTF-8. Nothing was done.",
        };
        status.Details.Add(Any.Pack(Info(Reasons.MalformedRequest)));
        return status;
    }

    /// <summary>A status of the gRPC framework itself (UNIMPLEMENTED, DEADLINE_EXCEEDED, ...), with the code's name as its reason.</summary>
    public static Status Framework(Code code, string message)
    {
        var status = new Status { Code = (int)code, Message = message };
        status.Details.Add(Any.Pack(Info(string.Concat(code.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString())))));
        return status;
    }

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
