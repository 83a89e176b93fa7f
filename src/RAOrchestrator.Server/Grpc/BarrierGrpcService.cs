using Grpc.Core;
using RAOrchestrator.Abstractions.Barriers;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Domain.Barriers;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Paging;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Validation;
using RAOrchestrator.Server.Mapping;
using RAOrchestrator.Server.Security;
using RAOrchestrator.Server.Web;
using Policy = RAOrchestrator.Contracts.V1.BarrierPolicy;

namespace RAOrchestrator.Server.Grpc;

/// <summary>raorchestrator.v1.BarrierService: the partner must manage the tenant; the barrier grain checks every rule.</summary>
public sealed class BarrierGrpcService(IGrainFactory grains, WebLinks links) : BarrierService.BarrierServiceBase
{
    private const string Segments = "segments";
    private const string Policies = "barrierPolicies";

    [RequiresRole(PartnerRole.Write)]
    public override async Task<CreateSegmentResponse> CreateSegment(CreateSegmentRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        RequestId.Check(request.RequestId, violations);
        var tenantId = ResourceName.ParseTenant(request.Parent, violations, "parent");
        ChildId(request.SegmentId, violations, "segment_id");
        Filter(request.Segment?.UserGroupFilter, violations);
        violations.ThrowIfAny();

        var change = await ChangeAsync(context, tenantId, new BarrierCommand(request.RequestId, null, BarrierCommandKind.CreateSegment,
            new SegmentDefinition(request.SegmentId, request.Segment!.UserGroupFilter), null, null));
        return new CreateSegmentResponse { Segment = SegmentOf(tenantId, request.SegmentId, change.After) };
    }

    [RequiresRole(PartnerRole.Read)]
    public override async Task<GetSegmentResponse> GetSegment(GetSegmentRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var (tenantId, id) = ResourceName.ParseTenantChild(request.Name, Segments, violations);
        violations.ThrowIfAny();

        var view = await ConfigAsync(context, tenantId);
        return new GetSegmentResponse { Segment = SegmentOf(tenantId, id, view) };
    }

    [RequiresRole(PartnerRole.Read)]
    public override async Task<ListSegmentsResponse> ListSegments(ListSegmentsRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var tenantId = ResourceName.ParseTenant(request.Parent, violations, "parent");
        var page = PageRequest.Parse(request.PageSize, request.PageToken, violations);
        violations.ThrowIfAny();

        var view = await ConfigAsync(context, tenantId);
        var (names, next) = Page(view.Configuration.Segments.Select(s => s.Name), page);
        var response = new ListSegmentsResponse { NextPageToken = next };
        response.Segments.AddRange(names.Select(n => SegmentOf(tenantId, n, view)));
        return response;
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<UpdateSegmentResponse> UpdateSegment(UpdateSegmentRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        RequestId.Check(request.RequestId, violations);
        var (tenantId, id) = ResourceName.ParseTenantChild(request.Segment?.Name, Segments, violations, "segment.name");
        var version = Etag.Parse(request.Segment?.Etag, violations, "segment.etag");
        Filter(request.Segment?.UserGroupFilter, violations);
        violations.ThrowIfAny();

        var change = await ChangeAsync(context, tenantId, new BarrierCommand(request.RequestId, version, BarrierCommandKind.UpdateSegment,
            new SegmentDefinition(id, request.Segment!.UserGroupFilter), null, null));
        return new UpdateSegmentResponse { Segment = SegmentOf(tenantId, id, change.After) };
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<DeleteSegmentResponse> DeleteSegment(DeleteSegmentRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        RequestId.Check(request.RequestId, violations);
        var (tenantId, id) = ResourceName.ParseTenantChild(request.Name, Segments, violations);
        var version = Etag.Parse(request.Etag, violations, "etag");
        violations.ThrowIfAny();

        await ChangeAsync(context, tenantId, new BarrierCommand(request.RequestId, version, BarrierCommandKind.DeleteSegment, null, null, id));
        return new DeleteSegmentResponse();
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<CreateBarrierPolicyResponse> CreateBarrierPolicy(CreateBarrierPolicyRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        RequestId.Check(request.RequestId, violations);
        var tenantId = ResourceName.ParseTenant(request.Parent, violations, "parent");
        ChildId(request.BarrierPolicyId, violations, "barrier_policy_id");
        var definition = PolicyFrom(tenantId, request.BarrierPolicyId, request.BarrierPolicy, violations, "barrier_policy");
        violations.ThrowIfAny();

        var change = await ChangeAsync(context, tenantId, new BarrierCommand(request.RequestId, null, BarrierCommandKind.CreatePolicy, null, definition, null));
        var response = new CreateBarrierPolicyResponse { BarrierPolicy = PolicyOf(tenantId, request.BarrierPolicyId, change.After) };
        response.Warnings.AddRange(change.Warnings.Select(w => new BarrierWarning { Reason = w.Code, Message = w.Message }));
        return response;
    }

    [RequiresRole(PartnerRole.Read)]
    public override async Task<GetBarrierPolicyResponse> GetBarrierPolicy(GetBarrierPolicyRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var (tenantId, id) = ResourceName.ParseTenantChild(request.Name, Policies, violations);
        violations.ThrowIfAny();

        return new GetBarrierPolicyResponse { BarrierPolicy = PolicyOf(tenantId, id, await ConfigAsync(context, tenantId)) };
    }

    [RequiresRole(PartnerRole.Read)]
    public override async Task<ListBarrierPoliciesResponse> ListBarrierPolicies(ListBarrierPoliciesRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var tenantId = ResourceName.ParseTenant(request.Parent, violations, "parent");
        var page = PageRequest.Parse(request.PageSize, request.PageToken, violations);
        violations.ThrowIfAny();

        var view = await ConfigAsync(context, tenantId);
        var (names, next) = Page(view.Configuration.Policies.Select(p => p.Name), page);
        var response = new ListBarrierPoliciesResponse { NextPageToken = next };
        response.BarrierPolicies.AddRange(names.Select(n => PolicyOf(tenantId, n, view)));
        return response;
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<UpdateBarrierPolicyResponse> UpdateBarrierPolicy(UpdateBarrierPolicyRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        RequestId.Check(request.RequestId, violations);
        var (tenantId, id) = ResourceName.ParseTenantChild(request.BarrierPolicy?.Name, Policies, violations, "barrier_policy.name");
        var version = Etag.Parse(request.BarrierPolicy?.Etag, violations, "barrier_policy.etag");
        var definition = PolicyFrom(tenantId, id, request.BarrierPolicy, violations, "barrier_policy");
        violations.ThrowIfAny();

        var change = await ChangeAsync(context, tenantId, new BarrierCommand(request.RequestId, version, BarrierCommandKind.UpdatePolicy, null, definition, null));
        var response = new UpdateBarrierPolicyResponse { BarrierPolicy = PolicyOf(tenantId, id, change.After) };
        response.Warnings.AddRange(change.Warnings.Select(w => new BarrierWarning { Reason = w.Code, Message = w.Message }));
        return response;
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<DeleteBarrierPolicyResponse> DeleteBarrierPolicy(DeleteBarrierPolicyRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        RequestId.Check(request.RequestId, violations);
        var (tenantId, id) = ResourceName.ParseTenantChild(request.Name, Policies, violations);
        var version = Etag.Parse(request.Etag, violations, "etag");
        violations.ThrowIfAny();

        await ChangeAsync(context, tenantId, new BarrierCommand(request.RequestId, version, BarrierCommandKind.DeletePolicy, null, null, id));
        return new DeleteBarrierPolicyResponse();
    }

    [RequiresRole(PartnerRole.Read)]
    public override async Task<ExportBarrierPoliciesResponse> ExportBarrierPolicies(ExportBarrierPoliciesRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var tenantId = ResourceName.ParseTenant(request.Parent, violations, "parent");
        violations.ThrowIfAny();

        var view = await ConfigAsync(context, tenantId);
        return new ExportBarrierPoliciesResponse { Script = BarrierPowerShell.Export(view.Configuration) };
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<ApplyBarrierPoliciesResponse> ApplyBarrierPolicies(ApplyBarrierPoliciesRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        RequestId.Check(request.RequestId, violations);
        var tenantId = ResourceName.ParseTenant(request.Parent, violations, "parent");
        violations.ThrowIfAny();

        await EnsureTenantAsync(context, tenantId);
        var operation = await Barriers(tenantId).StartApplyAsync(context.Caller().PartnerId, request.RequestId);
        return new ApplyBarrierPoliciesResponse { Operation = operation.ToProto(links) };
    }

    [RequiresRole(PartnerRole.Read)]
    public override async Task<CheckBarrierResponse> CheckBarrier(CheckBarrierRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var tenantId = ResourceName.ParseTenant(request.Parent, violations, "parent");
        ChildId(request.UserA, violations, "user_a");
        ChildId(request.UserB, violations, "user_b");
        if (request.Activity is CheckBarrierRequest.Types.Activity.Unspecified || !System.Enum.IsDefined(request.Activity))
        {
            violations.Add("activity", "must name an activity, e.g. ACTIVITY_INVITE_TO_MEETING");
        }

        violations.ThrowIfAny();

        await EnsureTenantAsync(context, tenantId);
        var (result, version) = await grains.GetGrain<IBarrierCheckGrain>(ResourceName.Tenant(tenantId)).CheckAsync(request.UserA, request.UserB, (BarrierActivity)(int)request.Activity);
        if (result is null)
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, "BARRIERS_NOT_APPLIED",
                "No barrier version is published for this tenant yet; run ApplyBarrierPolicies first.");
        }

        return new CheckBarrierResponse
        {
            Allowed = result.Allowed,
            Reason = ToUpperSnake(result.Reason.ToString()),
            DecidingPolicy = result.DecidingPolicy ?? string.Empty,
            Message = result.Message,
            Version = version,
        };
    }

    private static string ToUpperSnake(string pascal) =>
        string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString()));

    private async Task<BarrierConfigView> ConfigAsync(ServerCallContext context, string tenantId)
    {
        await EnsureTenantAsync(context, tenantId);
        return await Barriers(tenantId).GetAsync();
    }

    private async Task<BarrierChange> ChangeAsync(ServerCallContext context, string tenantId, BarrierCommand command)
    {
        await EnsureTenantAsync(context, tenantId);
        return await Barriers(tenantId).ChangeAsync(context.Caller().PartnerId, command);
    }

    /// <summary>A partner touches only barriers of tenants it manages; anyone else's answer NOT_FOUND like a missing tenant.</summary>
    private async Task EnsureTenantAsync(ServerCallContext context, string tenantId)
    {
        if (await grains.GetGrain<ITenantGrain>(ResourceName.Tenant(tenantId)).TryGetAsync(context.Caller().PartnerId) is null)
        {
            throw OrchestratorException.NotFound(ResourceName.Tenant(tenantId));
        }
    }

    private IBarrierGrain Barriers(string tenantId) => grains.GetGrain<IBarrierGrain>(ResourceName.Tenant(tenantId) + "/barriers");

    private static (IEnumerable<string> Names, string Next) Page(IEnumerable<string> all, PageRequest page)
    {
        var sorted = all.Order(StringComparer.Ordinal).ToArray();
        var start = page.After is null ? 0 : sorted.Count(n => string.CompareOrdinal(n, page.After) <= 0);
        var names = sorted.Skip(start).Take(page.Size).ToArray();
        return (names, start + names.Length < sorted.Length && names.Length > 0 ? PageRequest.Encode(names[^1]) : string.Empty);
    }

    private static Segment SegmentOf(string tenantId, string id, BarrierConfigView view)
    {
        var segment = view.Configuration.FindSegment(id) ?? throw OrchestratorException.NotFound($"{ResourceName.Tenant(tenantId)}/{Segments}/{id}");
        return new Segment
        {
            Name = $"{ResourceName.Tenant(tenantId)}/{Segments}/{segment.Name}",
            UserGroupFilter = segment.UserGroupFilter,
            Etag = Etag.Format(view.Version),
        };
    }

    private static Policy PolicyOf(string tenantId, string id, BarrierConfigView view)
    {
        var policy = view.Configuration.FindPolicy(id) ?? throw OrchestratorException.NotFound($"{ResourceName.Tenant(tenantId)}/{Policies}/{id}");
        var proto = new Policy
        {
            Name = $"{ResourceName.Tenant(tenantId)}/{Policies}/{policy.Name}",
            AssignedSegment = policy.AssignedSegment,
            Kind = policy.Kind == PolicyKind.Block ? Policy.Types.Kind.Block : Policy.Types.Kind.Allow,
            State = policy.State == PolicyState.Active ? Policy.Types.State.Active : Policy.Types.State.Inactive,
            Etag = Etag.Format(view.Version),
        };
        proto.Segments.AddRange(policy.Segments);
        return proto;
    }

    private static PolicyDefinition PolicyFrom(string tenantId, string id, Policy? proto, Violations violations, string field)
    {
        if (proto is null)
        {
            violations.Add(field, "is required");
            return new PolicyDefinition(id, string.Empty, PolicyKind.Block, [], PolicyState.Inactive);
        }

        if (proto.Kind is not (Policy.Types.Kind.Block or Policy.Types.Kind.Allow))
        {
            violations.Add($"{field}.kind", "must be KIND_BLOCK or KIND_ALLOW");
        }

        if (proto.State is not (Policy.Types.State.Unspecified or Policy.Types.State.Inactive or Policy.Types.State.Active))
        {
            violations.Add($"{field}.state", "must be STATE_INACTIVE or STATE_ACTIVE");
        }

        // Segments by name (tenants/{tenant}/segments/{segment}, as the proto says) or by bare id; kept as ids.
        var assigned = ResourceName.ParseChildReference(proto.AssignedSegment, tenantId, Segments, violations, $"{field}.assigned_segment");
        if (proto.Segments.Count is 0 or > 5000)
        {
            violations.Add($"{field}.segments", "must list 1 to 5000 segments");
        }

        var segments = proto.Segments.Take(5000).Select((s, i) => ResourceName.ParseChildReference(s, tenantId, Segments, violations, $"{field}.segments[{i}]")).ToArray();
        return new PolicyDefinition(id, assigned, proto.Kind == Policy.Types.Kind.Allow ? PolicyKind.Allow : PolicyKind.Block,
            [.. segments], proto.State == Policy.Types.State.Active ? PolicyState.Active : PolicyState.Inactive);
    }

    private static void ChildId(string? id, Violations violations, string field)
    {
        if (!ResourceName.IsValidChildId(id))
        {
            violations.Add(field, $"must be {ResourceName.ChildIdRule}");
        }
    }

    private static void Filter(string? filter, Violations violations)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            violations.Add("segment.user_group_filter", "is required, e.g. \"Department -eq 'Field Service'\"");
        }
        else if (!UserGroupFilter.TryParse(filter, out _, out var error))
        {
            violations.Add("segment.user_group_filter", error!.Message);
        }
    }
}
