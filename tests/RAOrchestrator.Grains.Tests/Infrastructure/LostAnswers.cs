using System.Collections.Concurrent;
using System.Net;

namespace RAOrchestrator.Grains.Tests.Infrastructure;

/// <summary>
/// Sits between the grain-state table client and its sockets. Armed for a key, it lets the next write whose request
/// names that key reach storage, and drops storage's answer, as a connection lost after storage took the request does:
/// the client library then sends the write again, and storage answers that second attempt.
/// </summary>
public sealed class LostAnswers
{
    private readonly ConcurrentDictionary<string, Drop> _armed = new();

    /// <summary>
    /// Drops the answer of the next write naming <paramref name="key"/>; <paramref name="afterLanding"/> runs after
    /// storage answered it and before the loss is reported (another writer, say). Completes with storage's answer.
    /// </summary>
    public Task<HttpStatusCode> DropNextWriteOf(string key, Func<Task>? afterLanding = null)
    {
        var drop = new Drop(afterLanding);
        if (!_armed.TryAdd(key, drop))
        {
            throw new InvalidOperationException($"A write of {key} is already armed.");
        }

        return drop.Answered.Task;
    }

    internal HttpMessageHandler Around(HttpMessageHandler sockets) => new Dropping(sockets, this);

    private sealed record Drop(Func<Task>? AfterLanding)
    {
        public TaskCompletionSource<HttpStatusCode> Answered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Dropping(HttpMessageHandler sockets, LostAnswers owner) : DelegatingHandler(sockets)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (owner._armed.IsEmpty || request.Method == HttpMethod.Get)
            {
                return await base.SendAsync(request, cancellationToken);
            }

            // An update names its row in the address, an insert in its body.
            var named = request.RequestUri + (request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken));
            var key = owner._armed.Keys.FirstOrDefault(k => named.Contains(k, StringComparison.Ordinal));
            var response = await base.SendAsync(request, cancellationToken);
            if (key is null || !owner._armed.TryRemove(key, out var drop))
            {
                return response;
            }

            var status = response.StatusCode;
            response.Dispose();
            if (drop.AfterLanding is { } then)
            {
                await then();
            }

            drop.Answered.TrySetResult(status);
            throw new HttpRequestException("The connection was lost before storage's answer arrived (dropped by the test).", new IOException("Connection reset by peer."));
        }
    }
}
