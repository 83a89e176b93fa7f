using System.Runtime.CompilerServices;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Client;

/// <summary>Every item of a list method, page after page, as one stream.</summary>
public static class Paging
{
    public static async IAsyncEnumerable<T> AllAsync<T>(
        Func<string, CancellationToken, Task<(IEnumerable<T> Items, string NextPageToken)>> page,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var token = string.Empty;
        do
        {
            var (items, next) = await page(token, cancellationToken).ConfigureAwait(false);
            foreach (var item in items)
            {
                yield return item;
            }

            token = next;
        }
        while (token.Length > 0);
    }

    public static IAsyncEnumerable<Tenant> ListAllTenantsAsync(this TenantService.TenantServiceClient tenants, CancellationToken cancellationToken = default) =>
        AllAsync<Tenant>(async (token, ct) =>
        {
            var response = await tenants.ListTenantsAsync(new ListTenantsRequest { PageSize = 1000, PageToken = token }, cancellationToken: ct);
            return (response.Tenants, response.NextPageToken);
        }, cancellationToken);

    public static IAsyncEnumerable<ServiceAccount> ListAllServiceAccountsAsync(this ServiceAccountService.ServiceAccountServiceClient accounts, string parent, CancellationToken cancellationToken = default) =>
        AllAsync<ServiceAccount>(async (token, ct) =>
        {
            var response = await accounts.ListServiceAccountsAsync(new ListServiceAccountsRequest { Parent = parent, PageSize = 1000, PageToken = token }, cancellationToken: ct);
            return (response.ServiceAccounts, response.NextPageToken);
        }, cancellationToken);

    public static IAsyncEnumerable<Segment> ListAllSegmentsAsync(this BarrierService.BarrierServiceClient barriers, string parent, CancellationToken cancellationToken = default) =>
        AllAsync<Segment>(async (token, ct) =>
        {
            var response = await barriers.ListSegmentsAsync(new ListSegmentsRequest { Parent = parent, PageSize = 1000, PageToken = token }, cancellationToken: ct);
            return (response.Segments, response.NextPageToken);
        }, cancellationToken);

    public static IAsyncEnumerable<BarrierPolicy> ListAllBarrierPoliciesAsync(this BarrierService.BarrierServiceClient barriers, string parent, CancellationToken cancellationToken = default) =>
        AllAsync<BarrierPolicy>(async (token, ct) =>
        {
            var response = await barriers.ListBarrierPoliciesAsync(new ListBarrierPoliciesRequest { Parent = parent, PageSize = 1000, PageToken = token }, cancellationToken: ct);
            return (response.BarrierPolicies, response.NextPageToken);
        }, cancellationToken);

    public static IAsyncEnumerable<Session> ListAllSessionsAsync(this SessionService.SessionServiceClient sessions, string parent, CancellationToken cancellationToken = default) =>
        AllAsync<Session>(async (token, ct) =>
        {
            var response = await sessions.ListSessionsAsync(new ListSessionsRequest { Parent = parent, PageSize = 1000, PageToken = token }, cancellationToken: ct);
            return (response.Sessions, response.NextPageToken);
        }, cancellationToken);
}
