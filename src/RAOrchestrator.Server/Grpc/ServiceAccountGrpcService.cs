using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RAOrchestrator.Abstractions.Indexes;
using RAOrchestrator.Abstractions.Licensing;
using RAOrchestrator.Abstractions.ServiceAccounts;
using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Paging;
using RAOrchestrator.Domain.Requests;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Tenants;
using RAOrchestrator.Domain.Validation;
using RAOrchestrator.Server.Mapping;
using RAOrchestrator.Server.Security;
using RAOrchestrator.Server.Web;

namespace RAOrchestrator.Server.Grpc;

/// <summary>raorchestrator.v1.ServiceAccountService: validate against the tenant (domains, SKUs), then the account's saga.</summary>
public sealed partial class ServiceAccountGrpcService(IGrainFactory grains, TimeProvider time, WebLinks links) : ServiceAccountService.ServiceAccountServiceBase
{
    private const string Collection = "serviceAccounts";

    [RequiresRole(PartnerRole.Write)]
    public override async Task<CreateServiceAccountResponse> CreateServiceAccount(CreateServiceAccountRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        RequestId.Check(request.RequestId, violations);
        var tenantId = ResourceName.ParseTenant(request.Parent, violations, "parent");
        ServiceAccountRules.CheckId(request.ServiceAccountId, violations, "service_account_id");
        var account = request.ServiceAccount;
        var upn = account?.UserPrincipalName ?? string.Empty;
        ServiceAccountValidation.Check(account?.DisplayName, upn, account?.UsageLocation, account?.Attributes ?? [], violations, "service_account.");
        violations.ThrowIfAny();

        var tenant = await TenantAsync(context, tenantId);
        var contact = VendorContactMapping.Read(account!.VendorContact, tenant.VerifiedDomains, "service_account.vendor_contact");
        if (tenant.Lifecycle == TenantLifecycle.Offboarding)
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, Reasons.TenantNotActive,
                $"{ResourceName.Tenant(tenantId)} is being offboarded; no service account can be created in it.");
        }

        if (ServiceAccountRules.UpnOutsideDomains(upn, tenant.VerifiedDomains, "service_account.user_principal_name") is { } outside)
        {
            throw outside;
        }

        var skus = await ResolveSkusAsync(tenantId, tenant.Settings.Licences, account!.BarrierLicense);
        var name = $"{ResourceName.Tenant(tenantId)}/{Collection}/{request.ServiceAccountId}";
        await Index(tenantId).AddAsync(request.ServiceAccountId);
        try
        {
            var view = await grains.GetGrain<IServiceAccountGrain>(name).CreateAsync(request.RequestId, new ServiceAccountSpec(
                account.DisplayName, upn, account.UsageLocation, account.Attributes.ToDictionary(), account.BarrierLicense, skus, contact));
            return new CreateServiceAccountResponse { ServiceAccount = ToProto(view) };
        }
        catch (OrchestratorException refused) when (refused.Reason == Reasons.TenantNotActive)
        {
            // Offboarding began meanwhile: the account kept nothing, and neither does the index.
            await Index(tenantId).RemoveAsync(request.ServiceAccountId);
            throw;
        }
    }

    [RequiresRole(PartnerRole.Read)]
    public override async Task<GetServiceAccountResponse> GetServiceAccount(GetServiceAccountRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var (tenantId, _) = ResourceName.ParseTenantChild(request.Name, Collection, violations);
        violations.ThrowIfAny();

        await TenantAsync(context, tenantId);
        var view = await grains.GetGrain<IServiceAccountGrain>(request.Name).TryGetAsync() ?? throw OrchestratorException.NotFound(request.Name);
        return new GetServiceAccountResponse { ServiceAccount = ToProto(view) };
    }

    [RequiresRole(PartnerRole.Read)]
    public override async Task<ListServiceAccountsResponse> ListServiceAccounts(ListServiceAccountsRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var tenantId = ResourceName.ParseTenant(request.Parent, violations, "parent");
        var page = PageRequest.Parse(request.PageSize, request.PageToken, violations);
        violations.ThrowIfAny();

        await TenantAsync(context, tenantId);
        var keys = await Index(tenantId).ListAsync(page.After, page.Size);
        var (views, next) = await IndexPage.ResolveAsync(keys, id => grains.GetGrain<IServiceAccountGrain>($"{ResourceName.Tenant(tenantId)}/{Collection}/{id}").TryGetAsync());
        var response = new ListServiceAccountsResponse { NextPageToken = next };
        response.ServiceAccounts.AddRange(views.Select(ToProto));
        return response;
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<UpdateServiceAccountResponse> UpdateServiceAccount(UpdateServiceAccountRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        RequestId.Check(request.RequestId, violations);
        var (tenantId, _) = ResourceName.ParseTenantChild(request.ServiceAccount?.Name, Collection, violations, "service_account.name");
        var version = Etag.Parse(request.ServiceAccount?.Etag, violations, "service_account.etag");
        string[] updatable = ["usage_location", "attributes", "vendor_contact"];
        // No mask: usage_location and attributes, as before vendor_contact existed (it changes only when named).
        var paths = request.UpdateMask?.Paths.ToArray() is { Length: > 0 } given ? given : updatable[..2];
        foreach (var path in paths.Where(p => !updatable.Contains(p)))
        {
            violations.Add("update_mask.paths", $"'{OrchestratorException.Quote(path)}' cannot be updated; updatable: {string.Join(", ", updatable)}");
        }

        var account = request.ServiceAccount ?? new ServiceAccount();
        string? location = null;
        if (paths.Contains("usage_location"))
        {
            location = account.UsageLocation;
            if (location is not { Length: 2 } || !location.All(char.IsAsciiLetterUpper))
            {
                violations.Add("service_account.usage_location", "must be a two-letter country code such as US or DE");
            }
        }

        Dictionary<string, string>? attributes = null;
        if (paths.Contains("attributes"))
        {
            attributes = account.Attributes.ToDictionary();
            ServiceAccountValidation.CheckAttributes(attributes, violations, "service_account.");
        }

        violations.ThrowIfAny();

        var tenant = await TenantAsync(context, tenantId);
        var contact = paths.Contains("vendor_contact")
            ? new VendorContactChange(VendorContactMapping.Read(account.VendorContact, tenant.VerifiedDomains, "service_account.vendor_contact"))
            : null;
        var view = await grains.GetGrain<IServiceAccountGrain>(account.Name).UpdateAsync(request.RequestId, version, null, location, attributes, contact);
        return new UpdateServiceAccountResponse { ServiceAccount = ToProto(view) };
    }

    [RequiresRole(PartnerRole.Write)]
    public override async Task<DeleteServiceAccountResponse> DeleteServiceAccount(DeleteServiceAccountRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        RequestId.Check(request.RequestId, violations);
        var (tenantId, id) = ResourceName.ParseTenantChild(request.Name, Collection, violations);
        violations.ThrowIfAny();

        await TenantAsync(context, tenantId);
        var requestKey = RequestKey.Of(context.Caller().PartnerId, request.RequestId) ?? string.Empty;
        await grains.GetGrain<IServiceAccountGrain>(request.Name).DeleteAsync(requestKey);
        await Index(tenantId).RemoveAsync(id);
        return new DeleteServiceAccountResponse();
    }

    [RequiresRole(PartnerRole.Read)]
    public override async Task<GetLicenseSummaryResponse> GetLicenseSummary(GetLicenseSummaryRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var tenantId = ResourceName.ParseTenant(request.Parent, violations, "parent");
        violations.ThrowIfAny();

        await TenantAsync(context, tenantId);
        var summary = await Ledger(tenantId).SummaryAsync(request.Refresh);
        var response = new GetLicenseSummaryResponse();
        response.Skus.AddRange(summary.Select(s => new GetLicenseSummaryResponse.Types.Sku
        {
            SkuId = s.SkuId.ToString("D"),
            PartNumber = s.PartNumber,
            Enabled = s.Enabled,
            Consumed = s.Consumed,
            Reserved = s.Reserved,
            Available = s.Available,
        }));
        return response;
    }

    /// <summary>The Remote Assist SKU (and the barrier suite when asked) from the tenant's plan or its inventory.</summary>
    private async Task<IReadOnlyList<Guid>> ResolveSkusAsync(string tenantId, LicencePlan plan, bool barrierSuite)
    {
        var inventory = (await Ledger(tenantId).SummaryAsync(refresh: false))
            .Select(s => new LicenceSku(s.SkuId, s.PartNumber, s.Enabled, s.Consumed, [])).ToArray();
        return ServiceAccountRules.Skus(inventory, plan, barrierSuite);
    }

    private async Task<TenantView> TenantAsync(ServerCallContext context, string tenantId) =>
        await grains.GetGrain<ITenantGrain>(ResourceName.Tenant(tenantId)).TryGetAsync(context.Caller().PartnerId)
        ?? throw OrchestratorException.NotFound(ResourceName.Tenant(tenantId));

    private ISeatLedgerGrain Ledger(string tenantId) => grains.GetGrain<ISeatLedgerGrain>($"{ResourceName.Tenant(tenantId)}/seatLedger");

    private IKeyIndexGrain Index(string tenantId) => grains.GetGrain<IKeyIndexGrain>($"{ResourceName.Tenant(tenantId)}/serviceAccountIndex");

    private ServiceAccount ToProto(ServiceAccountView view)
    {
        var proto = new ServiceAccount
        {
            Name = view.Name,
            DisplayName = view.Spec.DisplayName,
            UserPrincipalName = view.Spec.UserPrincipalName,
            UsageLocation = view.Spec.UsageLocation,
            BarrierLicense = view.Spec.BarrierLicence,
            State = view.Status switch
            {
                ServiceAccountStatus.Active => ServiceAccount.Types.State.Active,
                ServiceAccountStatus.Failed => ServiceAccount.Types.State.Failed,
                _ => ServiceAccount.Types.State.Provisioning,
            },
            FailureReason = view.FailureReason,
            FailureMessage = view.FailureMessage,
            DirectoryUserId = view.UserId,
            CreateTime = Timestamp.FromDateTimeOffset(view.CreateTime),
            UpdateTime = Timestamp.FromDateTimeOffset(view.UpdateTime),
            Etag = Etag.Format(view.Version),
        };
        proto.Attributes.Add(view.Spec.Attributes.ToDictionary());
        proto.SkuIds.AddRange(view.Spec.Skus.Select(s => s.ToString("D")));
        proto.VendorContact = VendorContactMapping.ToProto(view.Spec.VendorContact);
        proto.SignInPasses.AddRange(SignInPassMapping.Timeline(view.SignInPasses ?? [], time.GetUtcNow()));
        return proto;
    }
}
