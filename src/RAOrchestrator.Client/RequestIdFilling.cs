using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Client;

/// <summary>
/// Gives a mutation sent without a <c>request_id</c> a fresh one (a UUID), on a copy of the request, so that the
/// attempts the channel repeats on UNAVAILABLE carry the same id and the service acts once. A request_id the caller
/// set is kept. StartBulkOnboarding is sent as given: its request_id is required (it names the bulk operation).
/// </summary>
public sealed class RequestIdFilling : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(Filled(request), context);

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(Filled(request), context);

    /// <summary>The request itself, or a copy with a new request_id when it has an empty one.</summary>
    public static TRequest Filled<TRequest>(TRequest request)
        where TRequest : class
    {
        if (request is not IMessage message
            || FilledField(message.Descriptor) is not { } field
            || field.Accessor.GetValue(message) is string { Length: > 0 }
            || request is not IDeepCloneable<TRequest> cloneable)
        {
            return request;
        }

        var copy = cloneable.Clone();
        field.Accessor.SetValue((IMessage)copy, Guid.NewGuid().ToString("D"));
        return copy;
    }

    /// <summary>The request_id field the client fills in a request of this type, if any.</summary>
    public static FieldDescriptor? FilledField(MessageDescriptor request) =>
        request != StartBulkOnboardingRequest.Descriptor && request.FindFieldByName("request_id") is { FieldType: FieldType.String } field ? field : null;
}
