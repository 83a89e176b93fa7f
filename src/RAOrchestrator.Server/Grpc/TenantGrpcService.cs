using Grpc.Core;
using RAOrchestrator.Abstractions.Partners;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Paging;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Validation;
using RAOrchestrator.Server.Mapping;
using RAOrchestrator.Server.Security;
using RAOrchestrator.Server.Web;

namespace RAOrchestrator.Server.Grpc;

/// <summary>raorchestrator.v1.TenantService: validate, call the tenant grain, map back.</summary>
public sealed class TenantGrpcService(IGrainFactory grains, WebLinks links) : TenantService.TenantServiceBase
{
    private const string DisplayNamePath = "display_name";
    private const string MeetingSettingsPath = "meeting_settings";
    private const string LicensePlanPath = "license_plan";
    private const string ExternalAccessPath = "external_access_allowed_tenants";
    private const string MailSenderPath = "mail_sender";
    private static readonly string[] UpdatablePaths = [DisplayNamePath, MeetingSettingsPath, LicensePlanPath, ExternalAccessPath, MailSenderPath];

    [RequiresRole(PartnerRole.Write)]
    public override async Task<CreateTenantResponse> CreateTenant(CreateTenantRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        RequestId.Check(request.RequestId, violations);
        if (!TenantId.TryNormalize(request.TenantId, out var tenantId))
        {
            violations.Add("tenant_id", "must be the customer's Entra tenant id, a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47");
        }

        DisplayName.Check(request.Tenant?.DisplayName, violations, "tenant.display_name");
        var settings = TenantSettingsMapping.FromProto(request.Tenant, violations, "tenant");
        violations.ThrowIfAny();

        var caller = context.Caller();
        var created = await Tenant(tenantId).CreateAsync(new CreateTenant(caller.PartnerId, request.RequestId, request.Tenant!.DisplayName, settings));
        return new CreateTenantResponse { Tenant = created.Tenant.ToProto(links), Operation = created.Operation.ToProto(links) };
    }

    [RequiresRole(PartnerRole.Read)]
    public override async Task<GetTenantResponse> GetTenant(GetTenantRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var tenantId = ResourceName.ParseTenant(request.Name, violations);
        violations.ThrowIfAny();

        var view = await Tenant(tenantId).FindAsync(context.Caller().PartnerId)
            ?? throw OrchestratorException.NotFound(request.Name);
        return new GetTenantResponse { Tenant = view.ToProto(links) };
    }

    [RequiresRole(PartnerRole.Read)]
    public override async Task<ListTenantsResponse> ListTenants(ListTenantsRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var page = PageRequest.Parse(request.PageSize, request.PageToken, violations);
        violations.ThrowIfAny();

        var partnerId = context.Caller().PartnerId;
        var keys = await grains.GetGrain<IPartnerGrain>(ResourceName.Partner(partnerId)).ListTenantsAsync(page.After, page.Size);
        var (views, next) = await IndexPage.ResolveAsync(keys, id => Tenant(id).FindAsync(partnerId));

        var response = new ListTenantsResponse { NextPageToken = next };
        response.Tenants.AddRange(views.Select(v => v.ToProto(links)));
        return response;
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<UpdateTenantResponse> UpdateTenant(UpdateTenantRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        RequestId.Check(request.RequestId, violations);
        if (request.Tenant is null)
        {
            violations.Add("tenant", "is required, with its name and the fields to change");
            violations.ThrowIfAny();
        }

        var tenantId = ResourceName.ParseTenant(request.Tenant!.Name, violations, "tenant.name");
        var expectedVersion = Etag.Parse(request.Tenant.Etag, violations, "tenant.etag");
        var paths = request.UpdateMask?.Paths.ToArray() is { Length: > 0 } given ? given : UpdatablePaths;
        foreach (var path in paths.Where(p => !UpdatablePaths.Contains(p)))
        {
            violations.Add("update_mask.paths", $"'{OrchestratorException.Quote(path)}' cannot be updated; updatable: {string.Join(", ", UpdatablePaths)}");
        }

        var displayName = paths.Contains(DisplayNamePath) ? request.Tenant.DisplayName : null;
        if (displayName is not null)
        {
            DisplayName.Check(displayName, violations, "tenant.display_name");
        }

        var meetings = paths.Contains(MeetingSettingsPath) ? TenantSettingsMapping.FromProto(request.Tenant.MeetingSettings, violations, "tenant.meeting_settings") : null;
        var licences = paths.Contains(LicensePlanPath) ? TenantSettingsMapping.FromProto(request.Tenant.LicensePlan, violations, "tenant.license_plan") : null;
        var externalAccess = paths.Contains(ExternalAccessPath)
            ? TenantSettingsMapping.ExternalAccess(request.Tenant.ExternalAccessAllowedTenants, violations, "tenant.external_access_allowed_tenants")
            : null;
        violations.ThrowIfAny();

        string? mailSender = null;
        if (paths.Contains(MailSenderPath))
        {
            // Checked against the tenant's verified domains, once the tenant is known to be the caller's.
            var current = await Tenant(tenantId).FindAsync(context.Caller().PartnerId) ?? throw OrchestratorException.NotFound(ResourceName.Tenant(tenantId));
            mailSender = TenantSettingsMapping.MailSender(request.Tenant.MailSender, current.VerifiedDomains, violations, "tenant.mail_sender");
            violations.ThrowIfAny();
        }

        var view = await Tenant(tenantId).UpdateAsync(new UpdateTenant(context.Caller().PartnerId, request.RequestId, expectedVersion, displayName, meetings, licences, externalAccess, mailSender));
        return new UpdateTenantResponse { Tenant = view.ToProto(links) };
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<DeleteTenantResponse> DeleteTenant(DeleteTenantRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        RequestId.Check(request.RequestId, violations);
        var tenantId = ResourceName.ParseTenant(request.Name, violations);
        var expectedVersion = Etag.Parse(request.Etag, violations, "etag");
        violations.ThrowIfAny();

        var operation = await Tenant(tenantId).DeleteAsync(new DeleteTenant(context.Caller().PartnerId, request.RequestId, expectedVersion));
        return new DeleteTenantResponse { Operation = operation.ToProto(links) };
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<CheckTenantReadinessResponse> CheckTenantReadiness(CheckTenantReadinessRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        RequestId.Check(request.RequestId, violations);
        var tenantId = ResourceName.ParseTenant(request.Name, violations);
        violations.ThrowIfAny();

        var operation = await Tenant(tenantId).CheckReadinessAsync(new CheckTenantReadiness(context.Caller().PartnerId, request.RequestId));
        return new CheckTenantReadinessResponse { Operation = operation.ToProto(links) };
    }

    [RequiresRole(PartnerRole.Read)]
    public override async Task<GetTenantRunbookResponse> GetTenantRunbook(GetTenantRunbookRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var tenantId = ResourceName.ParseTenant(request.Name, violations);
        violations.ThrowIfAny();

        var partnerId = context.Caller().PartnerId;
        var tenant = Tenant(tenantId);
        var script = await tenant.GetRunbookAsync(partnerId) ?? throw OrchestratorException.NotFound(request.Name);
        var view = await tenant.TryGetAsync(partnerId);
        var response = new GetTenantRunbookResponse { Script = script };
        response.CheckIds.AddRange(view?.Readiness?.Outstanding.Select(c => c.Id) ?? []);
        return response;
    }

    private ITenantGrain Tenant(string tenantId) => grains.GetGrain<ITenantGrain>(ResourceName.Tenant(tenantId));
}
