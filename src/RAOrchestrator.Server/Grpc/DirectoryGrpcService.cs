using Grpc.Core;
using RAOrchestrator.Abstractions.Barriers;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Domain.Barriers;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Validation;
using RAOrchestrator.Server.Security;
using ProtoUser = RAOrchestrator.Contracts.V1.DirectoryUser;

namespace RAOrchestrator.Server.Grpc;

/// <summary>raorchestrator.v1.DirectoryService: directory search with information barriers enforced.</summary>
public sealed class DirectoryGrpcService(IGrainFactory grains, IDirectoryGateway directory) : DirectoryService.DirectoryServiceBase
{
    private const int DefaultPageSize = 25;
    private const int MaxPageSize = 100;

    [RequiresRole(PartnerRole.Read)]
    public override async Task<SearchUsersResponse> SearchUsers(SearchUsersRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var tenantId = ResourceName.ParseTenant(request.Parent, violations, "parent");
        if (!ResourceName.IsValidChildId(request.Searcher))
        {
            violations.Add("searcher", "must be the searcher's directory object id");
        }

        if (string.IsNullOrWhiteSpace(request.Query) || request.Query.Length > 64 || request.Query.Any(char.IsControl))
        {
            violations.Add("query", "must be 1 to 64 characters without control characters");
        }

        if (request.PageSize is < 0 or > MaxPageSize)
        {
            violations.Add("page_size", $"must be between 0 and {MaxPageSize} (0 means {DefaultPageSize})");
        }

        violations.ThrowIfAny();

        if (await grains.GetGrain<ITenantGrain>(ResourceName.Tenant(tenantId)).TryGetAsync(context.Caller().PartnerId) is null)
        {
            throw OrchestratorException.NotFound(ResourceName.Tenant(tenantId));
        }

        var size = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        var matches = await directory.SearchUsersAsync(tenantId, request.Query, size, context.CancellationToken);
        var candidates = matches.Where(u => u.Id != request.Searcher).ToArray();
        var visible = (await grains.GetGrain<IBarrierCheckGrain>(ResourceName.Tenant(tenantId))
            .FilterAsync(request.Searcher, candidates.Select(u => u.Id).ToArray(), BarrierActivity.Search)).ToHashSet(StringComparer.Ordinal);

        var response = new SearchUsersResponse { Hidden = candidates.Length - visible.Count };
        response.Users.AddRange(candidates.Where(u => visible.Contains(u.Id)).Select(u => new ProtoUser
        {
            Id = u.Id,
            DisplayName = u.DisplayName,
            UserPrincipalName = u.UserPrincipalName,
            Mail = u.Attributes.GetValueOrDefault("mail") ?? string.Empty,
        }));
        return response;
    }
}
