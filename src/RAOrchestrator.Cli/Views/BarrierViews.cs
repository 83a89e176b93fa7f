using RAOrchestrator.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Rendering;
using Segment = RAOrchestrator.Contracts.V1.Segment;

namespace RAOrchestrator.Cli.Views;

public static class BarrierViews
{
    public static IRenderable Segments(IReadOnlyCollection<Segment> segments)
    {
        var table = Tables.Create("Segment", "User group filter");
        foreach (var s in segments)
        {
            table.Row(s.Name, s.UserGroupFilter);
        }

        table.Caption(new TableTitle($"{segments.Count} segment{(segments.Count == 1 ? string.Empty : "s")}"));
        return table;
    }

    public static IRenderable Policies(IReadOnlyCollection<BarrierPolicy> policies)
    {
        var table = Tables.Create("Policy", "Assigned segment", "Kind", "Segments", "State");
        foreach (var p in policies)
        {
            table.Row(p.Name, p.AssignedSegment, Tables.Words(p.Kind), string.Join(", ", p.Segments), Tables.Words(p.State));
        }

        table.Caption(new TableTitle($"{policies.Count} polic{(policies.Count == 1 ? "y" : "ies")}"));
        return table;
    }
}
