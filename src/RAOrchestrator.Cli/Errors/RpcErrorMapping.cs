using System.Security.Authentication;
using Grpc.Core;
using RAOrchestrator.Client;

namespace RAOrchestrator.Cli.Errors;

/// <summary>gRPC statuses (and the google.rpc details the service sends) to exit codes and advice.</summary>
public static class RpcErrorMapping
{
    public static int ExitCode(StatusCode code) => code switch
    {
        StatusCode.OK => ExitCodes.Ok,
        StatusCode.InvalidArgument or StatusCode.OutOfRange or StatusCode.Unimplemented => ExitCodes.Usage,
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => ExitCodes.Auth,
        StatusCode.NotFound => ExitCodes.NotFound,
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => ExitCodes.Unavailable,
        StatusCode.AlreadyExists or StatusCode.Aborted or StatusCode.FailedPrecondition => ExitCodes.Conflict,
        StatusCode.ResourceExhausted => ExitCodes.Quota,
        StatusCode.Cancelled => ExitCodes.Interrupted,
        _ => ExitCodes.Internal,
    };

    /// <param name="fieldName">Renames a field the service named (e.g. tenants[3].tenant_id to the manifest's line).</param>
    public static ErrorReport Report(RpcException exception, string address, Func<string, string>? fieldName = null)
    {
        var details = RpcErrorDetails.From(exception);
        var status = StatusName(exception.StatusCode);
        var certificateRefused = FindInner<AuthenticationException>(exception.Status.DebugException) is not null;
        var message = details.Reason is null && exception.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
            ? $"{DefaultMessage(exception.StatusCode, address)} ({Innermost(exception)})."
            : details.Message is { Length: > 0 } m ? m : DefaultMessage(exception.StatusCode, address) + ".";
        if (certificateRefused)
        {
            message = $"The TLS connection to {address} failed: the server's certificate is not trusted.";
        }

        return new ErrorReport(
            certificateRefused ? ExitCodes.Unavailable : ExitCode(exception.StatusCode),
            status,
            details.Reason,
            message,
            details.FieldViolations.Select(v => new FieldProblem(fieldName?.Invoke(v.Field) ?? v.Field, v.Description)).ToArray(),
            details.PreconditionViolations.Where(v => v.Description != message).Select(v => $"{v.Type}: {v.Description}").ToArray(),
            certificateRefused
                ? "Trust it by pinning its SHA-256 thumbprint: --cert-sha256 <hex> (or RAORCH_CERT_SHA256), or use a certificate your machine trusts."
                : Hint(exception.StatusCode, details.Reason, address));
    }

    private static string DefaultMessage(StatusCode code, string address) => code switch
    {
        StatusCode.Unavailable => $"The service at {address} could not be reached",
        StatusCode.DeadlineExceeded => $"The service at {address} did not answer in time",
        _ => code.ToString(),
    };

    private static string? Hint(StatusCode code, string? reason, string address) => (code, reason) switch
    {
        (StatusCode.Unauthenticated, _) =>
            "Sign in again with a fresh partner token: raorch login --token <token> (locally, scripts/partner-token.sh prints one).",
        (StatusCode.PermissionDenied, "MISSING_ROLE") =>
            "Your token may only read. Sign in with a token that has the RAOrchestrator.Write role to change things.",
        (StatusCode.PermissionDenied, "PARTNER_CLAIM_MISSING") =>
            "The token names no partner (partner_id claim). Use a partner token from your identity provider.",
        (StatusCode.PermissionDenied, _) => "The service refused this action for the reason above.",
        (StatusCode.NotFound, _) =>
            "Check the name (raorch tenants list shows your tenants). A resource of another partner is not found either.",
        (StatusCode.InvalidArgument, _) => "Correct the fields listed above and run the command again.",
        (StatusCode.Unavailable or StatusCode.DeadlineExceeded, _) =>
            $"Check that the service runs at {address} (--address, RAORCH_ADDRESS or raorch login --address) and retry; changes repeat safely with the same --request-id.",
        (StatusCode.Aborted, _) => "It changed meanwhile: read it again and retry.",
        (StatusCode.FailedPrecondition, "VENDOR_CONTACT_MISSING") =>
            "Set the account's vendor contact first (the expert's own address), or add --show to get the pass here and hand it over yourself.",
        (StatusCode.FailedPrecondition, "MAIL_SENDER_NOT_SET" or "MAIL_SENDER_NOT_FOUND") =>
            "Set the tenant's mail sender to a mailbox of the tenant (UpdateTenant mail_sender), or add --show to get the pass here and hand it over yourself.",
        (StatusCode.AlreadyExists, "TENANT_ALREADY_ONBOARDED") => "The tenant is already under management; raorch tenants get <tenant> shows it if it is yours.",
        (StatusCode.AlreadyExists, _) => "It exists already; read it with the matching get command.",
        (StatusCode.FailedPrecondition, _) => "The request does not fit the current state: do what the message says (or wait for the work in progress), then retry.",
        (StatusCode.ResourceExhausted, "NO_SEATS_AVAILABLE") => "No licence seats are left: raorch licenses <tenant> shows them; free or buy seats, then retry.",
        (StatusCode.ResourceExhausted, "MESSAGE_TOO_LARGE") =>
            "The request is larger than the service accepts (the limit is in the message above): send less at once, e.g. split a manifest into several files and run raorch onboard for each.",
        (StatusCode.ResourceExhausted, _) => "A quota ran out; free capacity or ask the operator to raise it.",
        (StatusCode.Internal or StatusCode.Unknown or StatusCode.DataLoss, _) => "The service failed; quote the trace id above (if any) to its operator.",
        _ => null,
    };

    /// <summary>Status codes as the gRPC specification spells them (NOT_FOUND, ...).</summary>
    public static string StatusName(StatusCode code) => code == StatusCode.OK
        ? "OK"
        : string.Concat(code.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString()));

    /// <summary>What the transport said (e.g. "Connection refused"), the most useful line of a failed connection.</summary>
    private static string Innermost(RpcException exception)
    {
        var inner = exception.Status.DebugException;
        while (inner?.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner?.Message ?? exception.Status.Detail;
    }

    private static T? FindInner<T>(Exception? exception) where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}
