using Grpc.Core;

namespace RAOrchestrator.Chaos;

/// <summary>
/// How a careful client calls during faults: the same request (so the same request_id) again after a transient
/// failure, until it is answered or the limit passes. Only an answer counts as acknowledged.
/// </summary>
public static class Calls
{
    public static bool IsTransient(RpcException ex) =>
        ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted or StatusCode.Cancelled;

    /// <returns>The answer, or the non-transient failure (also an answer); throws TimeoutException past <paramref name="limit"/>.</returns>
    public static async Task<(T? Answer, RpcException? Refusal)> UntilAnsweredAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> call, TimeSpan limit, CancellationToken cancellationToken = default)
        where T : class
    {
        var deadline = DateTime.UtcNow + limit;
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return (await call(new CallOptions(deadline: DateTime.UtcNow.AddSeconds(15), cancellationToken: cancellationToken)), null);
            }
            catch (RpcException ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"no answer within {limit}: last {ex.StatusCode} {ex.Status.Detail}");
                }

                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(2000, delay.TotalMilliseconds * 2));
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                return (null, ex);
            }
            catch (RpcException ex)
            {
                throw new OperationCanceledException("The run is stopping.", ex, cancellationToken);
            }
        }
    }
}
