using RAOrchestrator.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace RAOrchestrator.Cli.Views;

public static class OperationViews
{
    public static IRenderable Details(Operation o)
    {
        var parts = new List<IRenderable>
        {
            Tables.Details(
                ("Name", o.Name),
                ("Kind", Tables.Words(o.Kind)),
                ("State", Tables.Words(o.State)),
                ("Target", o.Target),
                ("Progress", $"{o.ProgressPercent} %"),
                ("Error", o.Error is null ? string.Empty : $"{o.Error.Reason}: {o.Error.Message}"),
                ("Created", Tables.Time(o.CreateTime)),
                ("Updated", Tables.Time(o.UpdateTime))),
        };
        if (o.Steps.Count > 0)
        {
            var steps = Tables.Create("Step", "State", "Message");
            foreach (var s in o.Steps)
            {
                steps.Row(s.Title.Length > 0 ? s.Title : s.Id, Tables.Words(s.State), s.Message);
            }

            parts.Add(steps);
        }

        if (o.Bulk is not null)
        {
            parts.Add(BulkSummary(o));
        }

        return new Rows(parts);
    }

    /// <summary>The counts of a bulk operation and every item that did not succeed.</summary>
    public static IRenderable BulkSummary(Operation o)
    {
        var b = o.Bulk ?? new BulkProgress();
        var counts = Tables.Create("Outcome", "Tenants")
            .Row("succeeded", b.Succeeded.ToString())
            .Row("needs attention", b.NeedsAttention.ToString())
            .Row("failed", b.Failed.ToString())
            .Row("cancelled", b.Cancelled.ToString())
            .Row("pending or running", (b.Pending + b.Running).ToString())
            .Row("total", b.Total.ToString());
        var heading = new Text($"{o.Name}: {(o.Done ? "finished" : "running")} ({Tables.Words(o.State)}){Duration(o)}; {b.Succeeded} of {b.Total} tenants ACTIVE");
        if (b.ItemResults.Count == 0)
        {
            return new Rows(heading, counts);
        }

        var items = Tables.Create("Tenant", "Outcome", "Reason", "What to do");
        foreach (var item in b.ItemResults)
        {
            items.Row(item.Target, item.Outcome, item.Reason, item.Message);
        }

        var listed = b.ItemResults.Count < b.NeedsAttention + b.Failed ? $" (the first {b.ItemResults.Count})" : string.Empty;
        items.Caption(new TableTitle($"tenants that did not succeed{listed}; raorch tenants get <tenant> shows each one's checks"));
        return new Rows(heading, counts, items);
    }

    private static string Duration(Operation o) =>
        o.Done && o.CreateTime is not null && o.UpdateTime is not null
            ? $" in {(o.UpdateTime.ToDateTimeOffset() - o.CreateTime.ToDateTimeOffset()).TotalSeconds:0.0} s"
            : string.Empty;
}
