using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace RAOrchestrator.Cli.Output;

/// <summary>
/// JSON for scripts: API messages in the protobuf JSON mapping (lowerCamelCase fields, enum names, every field
/// present, zeros too), so the output's shape is the published contract's.
/// </summary>
public static class ProtoJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonNode Node(IMessage message) => JsonNode.Parse(Formatter.Format(message))!;

    /// <summary>One message, indented.</summary>
    public static string Format(IMessage message) => Node(message).ToJsonString(Indented);

    /// <summary>One message on one line (for streams: one event a line).</summary>
    public static string Line(IMessage message) => Formatter.Format(message);

    /// <summary>A list as <c>{"field": [ ... ]}</c>, the list method's response without paging.</summary>
    public static string List(string field, IEnumerable<IMessage> items) =>
        new JsonObject { [field] = new JsonArray(items.Select(i => (JsonNode?)Node(i)).ToArray()) }.ToJsonString(Indented);

    public static string Format(JsonNode node) => node.ToJsonString(Indented);
}
