using RAOrchestrator.Abstractions.Bulk;

namespace RAOrchestrator.Grains.Bulk;

/// <summary>
/// What keeps the coordinator's state (<see cref="BulkOnboardingState"/>) bounded at <see cref="MaxStateBytes"/>: per
/// tenant only its id, status, reason and counts (names, settings and accounts live in the plan parts). Messages,
/// approval paths and account failures live in a results row of their own (<see cref="BulkResultsGrain"/>), and only
/// as many as a progress report can show (<see cref="MaxReportedResults"/> messages in all, each at most
/// <see cref="MaxStoredMessageLength"/> characters; as many approval paths, the rest fetched again as those are
/// decided).
/// </summary>
public sealed partial class BulkOnboardingGrain
{
    /// <summary>5,000 tenants (the contract's maximum) with every message and path it keeps stays under this.</summary>
    public const int MaxStateBytes = 640 * 1024;

    /// <summary>Longest message stored for a tenant or account result.</summary>
    public const int MaxStoredMessageLength = 200;

    private IBulkPlanGrain Plan(int part) => GrainFactory.GetGrain<IBulkPlanGrain>(BulkPlanParts.Key(OperationId, part));

    /// <summary>The tenant as the request listed it, from its plan part.</summary>
    private async Task<BulkTenant> RequestedAsync(BulkItemState item) =>
        await Plan(item.PlanPart).GetTenantAsync(item.TenantId)
            ?? throw new InvalidOperationException($"Bulk item {item.TenantId} is not in its plan part {item.PlanPart}.");

    private string MessageFor(BulkItemState item, string message) =>
        message.Length == 0 || item.Message.Length == 0 && HeldMessages() >= MaxReportedResults ? string.Empty : Stored(message);

    private string AccountMessage(string message) => HeldMessages() >= MaxReportedResults ? string.Empty : Stored(message);

    /// <summary>Messages held in all, tenants' and accounts': no more than one progress report shows.</summary>
    private int HeldMessages() => State.Items.Count(i => i.Message.Length > 0) + State.AccountFailures.Count(f => f.Message.Length > 0);

    private string? ApprovalPathFor(BulkItemState item, string path) =>
        item.ApprovalPath is not null || HeldApprovalPaths() < MaxReportedResults ? path : null;

    private int HeldApprovalPaths() => State.Items.Count(i => i.ApprovalPath is not null);

    private IBulkResultsGrain Results => GrainFactory.GetGrain<IBulkResultsGrain>($"{this.GetPrimaryKeyString()}/results");

    // What the results row holds now, so an unchanged one is not written again.
    private BulkResults? _storedResults;

    /// <summary>Messages, approval paths and account failures from their row.</summary>
    private async Task LoadResultsAsync()
    {
        _storedResults = await Results.GetAsync();
        var results = _storedResults ?? new BulkResults(new Dictionary<string, string>(StringComparer.Ordinal), new Dictionary<string, string>(StringComparer.Ordinal), []);
        foreach (var item in State.Items)
        {
            item.Message = results.Messages.GetValueOrDefault(item.TenantId, string.Empty);
            item.ApprovalPath = results.ApprovalPaths.GetValueOrDefault(item.TenantId);
        }

        State.AccountFailures = [.. results.AccountFailures];
    }

    /// <summary>Before the coordinator's own write: the results row, when it changed.</summary>
    private async Task StoreResultsAsync()
    {
        var results = new BulkResults(
            State.Items.Where(i => i.Message.Length > 0).ToDictionary(i => i.TenantId, i => i.Message, StringComparer.Ordinal),
            State.Items.Where(i => i.ApprovalPath is not null).ToDictionary(i => i.TenantId, i => i.ApprovalPath!, StringComparer.Ordinal),
            [.. State.AccountFailures]);
        if (_storedResults is { } stored && SameResults(stored, results))
        {
            return;
        }

        await Results.StoreAsync(results);
        _storedResults = results;
    }

    private static bool SameResults(BulkResults a, BulkResults b) =>
        a.Messages.Count == b.Messages.Count && a.Messages.All(m => b.Messages.TryGetValue(m.Key, out var v) && v == m.Value)
        && a.ApprovalPaths.Count == b.ApprovalPaths.Count && a.ApprovalPaths.All(p => b.ApprovalPaths.TryGetValue(p.Key, out var v) && v == p.Value)
        && a.AccountFailures.SequenceEqual(b.AccountFailures);

    private static string Stored(string message) =>
        message.Length <= MaxStoredMessageLength ? message : string.Concat(message.AsSpan(0, MaxStoredMessageLength - 1), "…");
}
