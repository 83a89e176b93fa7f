using System.Text.Json;
using System.Text.Json.Serialization;

namespace RAOrchestrator.Cli.Errors;

/// <summary>One failure as raorch reports it: on stderr, as text for people or as JSON for scripts.</summary>
public sealed record ErrorReport(
    [property: JsonPropertyName("exitCode")] int ExitCode,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("fieldViolations")] IReadOnlyList<FieldProblem> FieldViolations,
    [property: JsonPropertyName("details")] IReadOnlyList<string> Details,
    [property: JsonPropertyName("hint")] string? Hint)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public void WriteText(TextWriter writer)
    {
        var code = (Status, Reason) switch
        {
            (null, null) => string.Empty,
            (var s, null) => $" [{s}]",
            (null, var r) => $" [{r}]",
            var (s, r) => s == r ? $" [{s}]" : $" [{s} {r}]",
        };
        writer.WriteLine($"error: {Message}{code}");
        foreach (var violation in FieldViolations)
        {
            writer.WriteLine($"  {violation.Field}: {violation.Description}");
        }

        foreach (var detail in Details)
        {
            writer.WriteLine($"  {detail}");
        }

        if (Hint is not null)
        {
            writer.WriteLine($"hint: {Hint}");
        }
    }

    public void WriteJson(TextWriter writer) => writer.WriteLine(JsonSerializer.Serialize(new { error = this }, Json));
}

/// <summary>A field the service (or raorch) refused, and why.</summary>
public sealed record FieldProblem(
    [property: JsonPropertyName("field")] string Field,
    [property: JsonPropertyName("description")] string Description);
