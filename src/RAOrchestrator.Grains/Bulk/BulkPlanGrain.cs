using RAOrchestrator.Abstractions.Bulk;

namespace RAOrchestrator.Grains.Bulk;

[GenerateSerializer, Alias("raorch.BulkPlanState")]
public sealed class BulkPlanState
{
    [Id(0)] public Dictionary<string, IReadOnlyList<BulkServiceAccount>> Plans { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Written once when the bulk onboarding starts, read as each tenant reaches ACTIVE.</summary>
[GrainType("bulkplan")]
public sealed class BulkPlanGrain(
    [PersistentState("plan", StorageNames.State)] IPersistentState<BulkPlanState> state) : Grain, IBulkPlanGrain
{
    public async Task StoreAsync(IReadOnlyDictionary<string, IReadOnlyList<BulkServiceAccount>> plans)
    {
        if (state.State.Plans.Count > 0)
        {
            return;
        }

        state.State.Plans = new Dictionary<string, IReadOnlyList<BulkServiceAccount>>(plans, StringComparer.Ordinal);
        await state.WriteOrDeactivateAsync(this);
    }

    public Task<IReadOnlyList<BulkServiceAccount>> GetAsync(string tenantId) =>
        Task.FromResult(state.State.Plans.TryGetValue(tenantId, out var plan) ? plan : (IReadOnlyList<BulkServiceAccount>)[]);
}

/// <summary>How the plans of a bulk onboarding are spread over plan grains.</summary>
public static class BulkPlanParts
{
    /// <summary>About 150 bytes an account: a part stays well under the 960 KiB an Azure Table entity holds.</summary>
    public const int MaxAccountsPerPart = 2_000;

    public static string Key(string operationId, int part) => $"{BulkOnboardingGrain.KeyPrefix}{operationId}/plans/{part}";

    /// <summary>Tenants in request order, cut into parts of at most <see cref="MaxAccountsPerPart"/> accounts; a tenant is never split.</summary>
    public static IReadOnlyList<Dictionary<string, IReadOnlyList<BulkServiceAccount>>> Split(IEnumerable<BulkTenant> tenants)
    {
        var parts = new List<Dictionary<string, IReadOnlyList<BulkServiceAccount>>>();
        var count = 0;
        foreach (var tenant in tenants.Where(t => t.ServiceAccounts.Count > 0))
        {
            if (parts.Count == 0 || count + tenant.ServiceAccounts.Count > MaxAccountsPerPart)
            {
                parts.Add(new Dictionary<string, IReadOnlyList<BulkServiceAccount>>(StringComparer.Ordinal));
                count = 0;
            }

            parts[^1][tenant.TenantId] = tenant.ServiceAccounts;
            count += tenant.ServiceAccounts.Count;
        }

        return parts;
    }
}
