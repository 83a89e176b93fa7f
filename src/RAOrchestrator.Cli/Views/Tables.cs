using Google.Protobuf.WellKnownTypes;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace RAOrchestrator.Cli.Views;

/// <summary>Plain tables: every cell is text (never markup), so names with brackets print as they are.</summary>
public static class Tables
{
    public static Table Create(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(new Text(column, new Style(decoration: Decoration.Bold))));
        }

        return table;
    }

    public static Table Row(this Table table, params string?[] cells)
    {
        table.AddRow(cells.Select(c => (IRenderable)new Text(c ?? string.Empty)));
        return table;
    }

    /// <summary>Two columns, a label and its value, for one resource.</summary>
    public static Grid Details(params (string Label, string? Value)[] rows)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach (var (label, value) in rows)
        {
            grid.AddRow(new Text(label + ":", new Style(decoration: Decoration.Bold)), new Text(value ?? string.Empty));
        }

        return grid;
    }

    public static string Time(Timestamp? time) => time is null ? string.Empty : time.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss'Z'");

    /// <summary>An enum value for people: "NeedsAttention" becomes "needs attention".</summary>
    public static string Words<T>(T value) where T : struct, System.Enum =>
        string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
