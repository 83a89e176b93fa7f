using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace RAOrchestrator.Server.Tests.Infrastructure;

/// <summary>Calls any RPC from its descriptor with any request message, as a generated client would.</summary>
public static class DynamicCall
{
    /// <summary>The call's failure, or null when it answered (for a stream: its first message, or still running after the timeout).</summary>
    public static async Task<RpcException?> InvokeAsync(CallInvoker invoker, MethodDescriptor method, IMessage request, TimeSpan? timeout = null)
    {
        var marshaller = Marshallers.Create<IMessage>(m => m.ToByteArray(), bytes => method.OutputType.Parser.ParseFrom(bytes));
        var type = method.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary;
        var call = new Method<IMessage, IMessage>(type, method.Service.FullName, method.Name, marshaller, marshaller);
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var options = new CallOptions(cancellationToken: deadline.Token);
        try
        {
            if (method.IsServerStreaming)
            {
                using var stream = invoker.AsyncServerStreamingCall(call, null, options, request);
                // The first answer is enough: a valid watch may legitimately run until its operation ends.
                await stream.ResponseStream.MoveNext(deadline.Token);
            }
            else
            {
                await invoker.AsyncUnaryCall(call, null, options, request);
            }

            return null;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && deadline.IsCancellationRequested)
        {
            return null;
        }
        catch (RpcException ex)
        {
            return ex;
        }
    }
}
