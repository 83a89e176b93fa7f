using RAOrchestrator.Abstractions.Operations;

namespace RAOrchestrator.Abstractions.Bulk;

/// <summary>What a bulk onboarding reports about its items beyond their status: messages, approval paths, account failures.</summary>
[GenerateSerializer, Immutable, Alias("raorch.BulkResults")]
public sealed record BulkResults(
    [property: Id(0)] IReadOnlyDictionary<string, string> Messages,
    [property: Id(1)] IReadOnlyDictionary<string, string> ApprovalPaths,
    [property: Id(2)] IReadOnlyList<BulkItemResult> AccountFailures);

/// <summary>
/// A bulk onboarding's results, keyed <c>bulkOnboardings/{operation}/results</c>: a row of their own, so the
/// coordinator's row holds only each tenant's id, status and counts.
/// </summary>
[Alias("raorch.IBulkResultsGrain")]
public interface IBulkResultsGrain : IGrainWithStringKey
{
    /// <summary>The results last stored; null before the first.</summary>
    [Alias("Get"), ReadOnly]
    Task<BulkResults?> GetAsync();

    [Alias("Store")]
    Task StoreAsync(BulkResults results);
}
