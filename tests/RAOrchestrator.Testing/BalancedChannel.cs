using Grpc.Net.Client;
using RAOrchestrator.Client;

namespace RAOrchestrator.Testing;

/// <summary>
/// A client channel to every API process of a cluster, built as partners build theirs (<see cref="ClientChannel"/>):
/// a plaintext <c>static:///</c> address listing every process, round robin, so calls spread over all processes and
/// skip one that is down, and the client's retry policy: a read, or a mutation with a request_id, that fails
/// UNAVAILABLE before the server answered (its process just died) is attempted again on another address.
/// </summary>
public static class BalancedChannel
{
    public static GrpcChannel Create(IEnumerable<int> apiPorts, int maxAttempts = 5) => ClientChannel.Create(new RAOrchestratorClientOptions
    {
        Address = StaticAddress(apiPorts),
        Plaintext = true,
        MaxAttempts = maxAttempts,
    });

    /// <summary><c>static:///127.0.0.1:p1,127.0.0.1:p2,…</c></summary>
    public static string StaticAddress(IEnumerable<int> apiPorts) => "static:///" + string.Join(',', apiPorts.Select(port => $"127.0.0.1:{port}"));
}
