using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Server.Security;

namespace RAOrchestrator.Server.Grpc;

/// <summary>
/// The one interceptor on every call, doing in order: admit the caller (<see cref="PartnerAuthorization"/>; a stream
/// also takes one of its partner's stream slots for its lifetime, <see cref="PartnerStreams"/>), run the
/// handler, turn what it throws into the status the caller gets (<see cref="ErrorStatusMapping"/>), and record that
/// status and the duration (<see cref="RpcCallMetrics"/>). One interceptor, not three: Grpc.AspNetCore wraps each
/// interceptor in an async step and a service lookup of its own on every call. A call whose handler completes at once
/// passes through without an async step of ours.
/// </summary>
public sealed class ApiInterceptor(PartnerAuthorization authorization, PartnerStreams streams, ErrorStatusMapping errors) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var start = Stopwatch.GetTimestamp();
        Task<TResponse> call;
        try
        {
            var admission = authorization.AdmitAsync(context);
            call = admission.IsCompletedSuccessfully ? Admitted(request, context, continuation) : AfterAdmissionAsync(admission, request, context, continuation);
        }
        catch (Exception ex)
        {
            // A refusal or a handler that threw before returning its task: mapped and recorded like any failure.
            call = Task.FromException<TResponse>(ex);
        }

        if (call.IsCompletedSuccessfully)
        {
            RpcCallMetrics.Record(context, start, context.Status.StatusCode);
            return call;
        }

        return CompleteAsync(call, context, start);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var start = Stopwatch.GetTimestamp();
        return CompleteAsync(StreamAsync(), context, start);

        async Task<bool> StreamAsync()
        {
            using var slot = await AdmitStreamAsync(context);
            await continuation(request, responseStream, context);
            return true;
        }
    }

    // The API has no client-streaming or duplex method; were one added, it is admitted, mapped and measured alike.
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var start = Stopwatch.GetTimestamp();
        return CompleteAsync(CallAsync(), context, start);

        async Task<TResponse> CallAsync()
        {
            await authorization.AdmitAsync(context);
            NamePartner(context);
            return await continuation(requestStream, context);
        }
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var start = Stopwatch.GetTimestamp();
        return CompleteAsync(StreamAsync(), context, start);

        async Task<bool> StreamAsync()
        {
            using var slot = await AdmitStreamAsync(context);
            await continuation(requestStream, responseStream, context);
            return true;
        }
    }

    /// <summary>Admits a streaming call and takes its partner's stream slot, held until the stream ends or is cancelled.</summary>
    private async ValueTask<StreamSlot?> AdmitStreamAsync(ServerCallContext context)
    {
        await authorization.AdmitAsync(context);
        return streams.Enter(context);
    }

    private static async Task<TResponse> AfterAdmissionAsync<TRequest, TResponse>(ValueTask admission, TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        await admission;
        return await Admitted(request, context, continuation);
    }

    /// <summary>
    /// Runs an admitted call with its partner named in the request context, so the Graph work it causes in the grains
    /// counts against that partner's share of the app's Graph budget.
    /// </summary>
    private static Task<TResponse> Admitted<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        NamePartner(context);
        return continuation(request, context);
    }

    /// <summary>Calls open to anyone (health, reflection) have no partner to name.</summary>
    private static void NamePartner(ServerCallContext context)
    {
        if (Caller.Find(context) is { } caller)
        {
            DirectoryCaller.Set(caller.PartnerId);
        }
    }

    /// <summary>Awaits the call; records its status, or maps what it threw to the caller's status and records that.</summary>
    private async Task<T> CompleteAsync<T>(Task<T> call, ServerCallContext context, long start)
    {
        try
        {
            var result = await call;
            RpcCallMetrics.Record(context, start, context.Status.StatusCode);
            return result;
        }
        catch (RpcException rpc)
        {
            RpcCallMetrics.Record(context, start, rpc.StatusCode);
            throw;
        }
        catch (Exception ex)
        {
            var status = errors.Map(ex, context);
            RpcCallMetrics.Record(context, start, status.StatusCode);
            throw status;
        }
    }
}
