using System.Globalization;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http.Features;
using RAOrchestrator.Server.Security;
using Code = Google.Rpc.Code;

namespace RAOrchestrator.Server.Grpc;

/// <summary>
/// The part of a gRPC call before any handler runs. Grpc.AspNetCore reads and parses the request before the
/// interceptors (so <see cref="ApiInterceptor"/> never sees what goes wrong there) and answers on its own, without a
/// google.rpc.ErrorInfo: RESOURCE_EXHAUSTED for a message over the limit, INTERNAL for a frame cut short or followed by
/// more bytes, UNKNOWN ("Exception was thrown by handler.") for bytes that are not the message or a string that is
/// not UTF-8. This middleware gives each such answer the status and details of every other error: MESSAGE_TOO_LARGE
/// naming the limit, INVALID_ARGUMENT with MALFORMED_REQUEST, and for any other status of the framework its code's
/// name as the reason. It recognises them as answers with no details: everything a handler throws has them.
/// It also lets Kestrel's request body limit (30 MB by default) follow the method's message limit, and gives a limit
/// above the default only to an authenticated partner: a stranger's call to such a method is refused UNAUTHENTICATED
/// before its body is read, so nobody without a token makes the host read tens of MiB.
/// </summary>
public sealed class RequestEdgeMiddleware(RequestDelegate next, MessageLimits limits, PartnerAuthenticator authenticator)
{
    private const int FrameHeaderBytes = 5;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not { } grpc)
        {
            await next(context);
            return;
        }

        var limit = limits.For(grpc.Method.ServiceName);
        if (limit > limits.Default && await authenticator.AuthenticateAsync(context) is null)
        {
            RefuseUnread(context.Response, RpcErrors.Framework(Code.Unauthenticated,
                "Send a valid bearer token in the authorization header (issued by the configured partner issuer for this API's audience, not expired)."));
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
        {
            body.MaxRequestBodySize = (long)limit + FrameHeaderBytes;
        }

        await next(context);
        AddDetails(context.Response, grpc.Method.Name, limit);
    }

    /// <summary>A trailers-only answer, the request body left unread.</summary>
    private static void RefuseUnread(HttpResponse response, Google.Rpc.Status status)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        Write(response.Headers, status);
    }

    /// <summary>
    /// Only a call refused before its handler ran, which answers with headers alone (trailers-only): those headers
    /// have not been sent yet when the endpoint returns.
    /// </summary>
    private static void AddDetails(HttpResponse response, string method, int limit)
    {
        var headers = response.Headers;
        if (response.HasStarted || headers.ContainsKey("grpc-status-details-bin")
            || !int.TryParse(headers["grpc-status"], NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code == 0)
        {
            return;
        }

        var status = (Code)code switch
        {
            Code.ResourceExhausted => RpcErrors.MessageTooLarge(method, limit),
            Code.Internal or Code.Unknown => RpcErrors.MalformedRequest(method),
            var other => RpcErrors.Framework(other, Uri.UnescapeDataString(headers["grpc-message"].ToString())),
        };
        Write(headers, status);
    }

    private static void Write(IHeaderDictionary headers, Google.Rpc.Status status)
    {
        headers["grpc-status"] = status.Code.ToString(CultureInfo.InvariantCulture);
        headers["grpc-message"] = Uri.EscapeDataString(status.Message);
        headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
    }
}
