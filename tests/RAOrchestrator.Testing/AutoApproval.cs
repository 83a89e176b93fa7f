using System.Collections.Concurrent;
using System.Net;
using Grpc.Core;
using Grpc.Core.Interceptors;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator;

namespace RAOrchestrator.Testing;

/// <summary>
/// For tests about something else than ownership: whenever an answer carries an approval link (a CreateTenant
/// AWAITING_APPROVAL, an operation waiting for approval, a bulk operation's pending approvals), the tenant's test
/// administrator approves the partner through the real approval page and the emulator's sign-in before the test sees
/// the answer, without granting the app consent (each test tenant keeps the consent it was made with). Ownership tests use a channel without it.
/// </summary>
public sealed class AutoApproval(GraphEmulatorServer emulator) : Interceptor
{
    // Every approval link is decided once, whichever channel saw it first.
    private static readonly ConcurrentDictionary<string, Lazy<Task>> Decided = new(StringComparer.Ordinal);

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(request, context);
        return new AsyncUnaryCall<TResponse>(ApproveSeenAsync(call.ResponseAsync), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        ApproveSeenAsync(Task.FromResult(continuation(request, context))).GetAwaiter().GetResult();

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(request, context);
        return new AsyncServerStreamingCall<TResponse>(new Reader<TResponse>(call.ResponseStream, this), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    private async Task<TResponse> ApproveSeenAsync<TResponse>(Task<TResponse> pending)
    {
        var response = await pending;
        await ApproveLinksAsync(response);
        return response;
    }

    private Task ApproveLinksAsync(object? message)
    {
        var links = message switch
        {
            CreateTenantResponse created => [created.Tenant?.ApprovalUri, created.Operation?.ApprovalUri],
            GetOperationResponse got => Links(got.Operation),
            WatchOperationResponse watched => Links(watched.Operation),
            StartBulkOnboardingResponse bulk => Links(bulk.Operation),
            GetTenantResponse tenant => [tenant.Tenant?.ApprovalUri],
            _ => Array.Empty<string?>(),
        };
        return Task.WhenAll(links.OfType<string>().Where(l => l.Length > 0).Distinct().Select(link => ApproveOnceAsync(emulator, link)));
    }

    /// <summary>Approves the claim behind <paramref name="approvalUri"/> unless it was already approved through here.</summary>
    public static Task ApproveOnceAsync(GraphEmulatorServer emulator, string approvalUri) =>
        Decided.GetOrAdd(approvalUri, l => new Lazy<Task>(() => ApproveAsync(emulator, l))).Value;

    private static string?[] Links(Operation? operation) =>
        operation is null ? [] : [operation.ApprovalUri, .. operation.Bulk?.PendingApprovals.Select(p => p.ApprovalUri) ?? []];

    /// <summary>The test administrator of the tenant in <paramref name="approvalUri"/> (…/tenant-approval/{tenant}/{claim}) approves it.</summary>
    public static async Task ApproveAsync(GraphEmulatorServer emulator, string approvalUri)
    {
        var tenantId = new Uri(approvalUri).Segments[^2].TrimEnd('/');
        if (emulator.State.FindTenant(tenantId) is null)
        {
            // No such organization in the directory: nobody could approve it, so its claim just waits.
            return;
        }

        // As an administrator would: the page asks to try again when the service failed on its side (503).
        ApprovalOutcome outcome;
        var attempt = 0;
        do
        {
            using var browser = new ApprovalBrowser(emulator);
            outcome = await browser.DecideAsync(approvalUri, TestEmulator.AdminUpn(TestEmulator.DefaultDomain(tenantId)));
        }
        while (outcome.Status == HttpStatusCode.ServiceUnavailable && ++attempt < 3 && await Pause());

        if (outcome.Status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Approving {tenantId} failed ({(int)outcome.Status}): {outcome.Body}");
        }
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        return true;
    }

    private sealed class Reader<T>(IAsyncStreamReader<T> inner, AutoApproval approval) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!await inner.MoveNext(cancellationToken))
            {
                return false;
            }

            await approval.ApproveLinksAsync(inner.Current);
            return true;
        }
    }
}
