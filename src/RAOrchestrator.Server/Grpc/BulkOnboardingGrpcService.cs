using Grpc.Core;
using RAOrchestrator.Abstractions.Bulk;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Tenants;
using RAOrchestrator.Domain.Validation;
using RAOrchestrator.Grains.Bulk;
using RAOrchestrator.Server.Mapping;
using RAOrchestrator.Server.Security;
using RAOrchestrator.Server.Web;
using BulkServiceAccount = RAOrchestrator.Abstractions.Bulk.BulkServiceAccount;
using BulkTenant = RAOrchestrator.Abstractions.Bulk.BulkTenant;

namespace RAOrchestrator.Server.Grpc;

/// <summary>raorchestrator.v1.BulkOnboardingService: validate every tenant and its service-account plan, hand the list to its bulk grain.</summary>
public sealed class BulkOnboardingGrpcService(IGrainFactory grains, WebLinks links) : BulkOnboardingService.BulkOnboardingServiceBase
{
    public const int MaxTenants = 5_000;
    public const int DefaultParallelism = 16;
    public const int MaxParallelism = 64;
    public const int MaxAccountsPerTenant = 100;
    public const int MaxAccounts = 20_000;

    [RequiresRole(PartnerRole.Write)]
    public override async Task<StartBulkOnboardingResponse> StartBulkOnboarding(StartBulkOnboardingRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        if (string.IsNullOrEmpty(request.RequestId))
        {
            violations.Add("request_id", "is required: it names the bulk operation, so a retry resumes it");
        }

        RequestId.Check(request.RequestId, violations);
        if (request.MaxParallelism is < 0 or > MaxParallelism)
        {
            violations.Add("max_parallelism", $"must be between 0 and {MaxParallelism} (0 means {DefaultParallelism})");
        }

        if (request.Tenants.Count is 0 or > MaxTenants)
        {
            violations.Add("tenants", $"must list 1 to {MaxTenants} tenants");
        }

        var tenants = new List<BulkTenant>(request.Tenants.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.Tenants.Count && i < MaxTenants; i++)
        {
            var field = $"tenants[{i}]";
            var item = request.Tenants[i];
            if (!TenantId.TryNormalize(item.TenantId, out var tenantId))
            {
                violations.Add($"{field}.tenant_id", "must be the customer's Entra tenant id (a GUID)");
            }
            else if (!seen.Add(tenantId))
            {
                violations.Add($"{field}.tenant_id", "appears more than once");
            }

            DisplayName.Check(item.Tenant?.DisplayName, violations, $"{field}.tenant.display_name");
            var settings = TenantSettingsMapping.FromProto(item.Tenant, violations, $"{field}.tenant");
            tenants.Add(new BulkTenant(tenantId, item.Tenant?.DisplayName ?? string.Empty, settings)
            {
                ServiceAccounts = Plan(item.ServiceAccounts, violations, field),
            });
        }

        if (tenants.Sum(t => t.ServiceAccounts.Count) > MaxAccounts)
        {
            violations.Add("tenants", $"must plan at most {MaxAccounts} service accounts in all; split the request");
        }

        violations.ThrowIfAny();

        var partnerId = context.Caller().PartnerId;
        var parallelism = request.MaxParallelism == 0 ? DefaultParallelism : request.MaxParallelism;
        var operation = await grains.GetGrain<IBulkOnboardingGrain>(BulkOnboardingGrain.KeyFor(partnerId, request.RequestId))
            .StartAsync(new StartBulkOnboarding(partnerId, tenants, parallelism));
        return new StartBulkOnboardingResponse { Operation = operation.ToProto(links) };
    }

    /// <summary>A tenant's service-account plan, each field checked as CreateServiceAccount checks it; ids and UPNs unique in the tenant.</summary>
    private static IReadOnlyList<BulkServiceAccount> Plan(IReadOnlyList<Contracts.V1.BulkServiceAccount> accounts, Violations violations, string tenantField)
    {
        if (accounts.Count > MaxAccountsPerTenant)
        {
            violations.Add($"{tenantField}.service_accounts", $"must list at most {MaxAccountsPerTenant} accounts a tenant");
        }

        var plan = new List<BulkServiceAccount>(Math.Min(accounts.Count, MaxAccountsPerTenant));
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var upns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var j = 0; j < accounts.Count && j < MaxAccountsPerTenant; j++)
        {
            var field = $"{tenantField}.service_accounts[{j}]";
            var account = accounts[j];
            ServiceAccountRules.CheckId(account.ServiceAccountId, violations, $"{field}.service_account_id");
            if (ServiceAccountRules.IsAccountId(account.ServiceAccountId) && !ids.Add(account.ServiceAccountId))
            {
                violations.Add($"{field}.service_account_id", "appears more than once in the tenant's plan");
            }

            ServiceAccountValidation.Check(account.DisplayName, account.UserPrincipalName, account.UsageLocation, account.Attributes, violations, $"{field}.");
            if (ServiceAccountRules.IsUpn(account.UserPrincipalName) && !upns.Add(account.UserPrincipalName))
            {
                violations.Add($"{field}.user_principal_name", "appears more than once in the tenant's plan");
            }

            plan.Add(new BulkServiceAccount(account.ServiceAccountId, account.DisplayName, account.UserPrincipalName, account.UsageLocation,
                account.Attributes.ToDictionary(), account.BarrierLicense));
        }

        return plan;
    }
}
