using Google.Rpc;
using Grpc.Core;

namespace RAOrchestrator.Server.Tests.Infrastructure;

/// <summary>Asserts on gRPC failures and the google.rpc details they carry.</summary>
public static class RpcAssert
{
    public static async Task<RpcException> Fails(StatusCode code, Func<Task> call)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(code == ex.StatusCode, $"Expected {code}, got {ex.StatusCode}: {ex.Status.Detail}");
        var info = ex.GetRpcStatus()?.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Matches("^[A-Z][A-Z0-9_]*$", info!.Reason);
        return ex;
    }

    public static async Task<RpcException> Fails<T>(StatusCode code, Func<AsyncUnaryCall<T>> call) =>
        await Fails(code, async () => await call());

    public static string Reason(this RpcException ex) => ex.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason;

    /// <summary>The google.rpc.RetryInfo delay, or null when the status has none.</summary>
    public static TimeSpan? RetryDelay(this RpcException ex) => ex.GetRpcStatus()?.GetDetail<RetryInfo>()?.RetryDelay?.ToTimeSpan();

    public static IReadOnlyList<string> ViolatedFields(this RpcException ex) =>
        ex.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToArray() ?? [];
}
