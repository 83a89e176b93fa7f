using RAOrchestrator.Abstractions.Bulk;

namespace RAOrchestrator.Grains.Bulk;

/// <summary>Bound: at most <see cref="BulkPlanParts.MaxPartBytes"/> estimated bytes of tenants and accounts (see <see cref="BulkPlanParts.Split"/>).</summary>
[GenerateSerializer, Alias("raorch.BulkPlanState")]
public sealed class BulkPlanState
{
    /// <summary>Tenants with their settings and accounts.</summary>
    [Id(1)] public Dictionary<string, BulkTenant> Tenants { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Written once when the bulk onboarding starts, read as each tenant starts and as it reaches ACTIVE.</summary>
[GrainType("bulkplan")]
public sealed class BulkPlanGrain(
    [PersistentState("plan", StorageNames.State)] IPersistentState<BulkPlanState> state) : Grain, IBulkPlanGrain
{
    public async Task StoreTenantsAsync(IReadOnlyList<BulkTenant> tenants)
    {
        if (state.State.Tenants.Count > 0)
        {
            return;
        }

        state.State.Tenants = tenants.ToDictionary(t => t.TenantId, StringComparer.Ordinal);
        await state.WriteOrDeactivateAsync(this);
    }

    public Task<BulkTenant?> GetTenantAsync(string tenantId) =>
        Task.FromResult(state.State.Tenants.TryGetValue(tenantId, out var tenant) ? tenant with { ServiceAccounts = [] } : null);

    public Task<IReadOnlyList<BulkServiceAccount>> GetAsync(string tenantId) =>
        Task.FromResult(state.State.Tenants.TryGetValue(tenantId, out var tenant) ? tenant.ServiceAccounts : (IReadOnlyList<BulkServiceAccount>)[]);
}

/// <summary>How the tenants of a bulk onboarding are spread over plan grains.</summary>
public static class BulkPlanParts
{
    /// <summary>At most this many accounts a part (about 150 bytes each).</summary>
    public const int MaxAccountsPerPart = 2_000;

    /// <summary>At most this many estimated bytes a part: well under the ~960 KiB an Azure Table entity holds.</summary>
    public const int MaxPartBytes = 384 * 1024;

    public static string Key(string operationId, int part) => $"{BulkOnboardingGrain.KeyPrefix}{operationId}/plans/{part}";

    /// <summary>Tenants in request order, cut into parts within both bounds; a tenant is never split.</summary>
    public static IReadOnlyList<List<BulkTenant>> Split(IEnumerable<BulkTenant> tenants)
    {
        var parts = new List<List<BulkTenant>>();
        var (accounts, bytes) = (0, 0);
        foreach (var tenant in tenants)
        {
            var cost = Bytes(tenant);
            if (parts.Count == 0 || accounts + tenant.ServiceAccounts.Count > MaxAccountsPerPart || bytes + cost > MaxPartBytes)
            {
                parts.Add([]);
                (accounts, bytes) = (0, 0);
            }

            parts[^1].Add(tenant);
            accounts += tenant.ServiceAccounts.Count;
            bytes += cost;
        }

        return parts;
    }

    /// <summary>
    /// An upper estimate of a tenant's stored bytes: its strings at UTF-8's worst plus framing. A request's tenant is
    /// bounded by its validation (1,000 allow-listed ids, 100 accounts), so one tenant always fits a part.
    /// </summary>
    private static int Bytes(BulkTenant tenant) =>
        128 + 3 * (tenant.DisplayName.Length + (tenant.Settings.MailSender?.Length ?? 0)) + tenant.Settings.ExternalAccessAllowedTenants.Sum(id => 3 * id.Length + 4)
        + tenant.ServiceAccounts.Sum(a => 64 + 3 * (a.ServiceAccountId.Length + a.DisplayName.Length + a.UserPrincipalName.Length + a.UsageLocation.Length)
            + a.Attributes.Sum(p => 3 * (p.Key.Length + p.Value.Length) + 8));
}
