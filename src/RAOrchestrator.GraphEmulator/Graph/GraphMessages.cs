using System.Text.Json.Nodes;
using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.GraphEmulator.Tokens;

namespace RAOrchestrator.GraphEmulator.Graph;

/// <summary>One Graph request, top-level or inside a $batch, after authentication.</summary>
public sealed class GraphRequest
{
    public required string Method { get; init; }
    /// <summary>Decoded path segments after <c>/v1.0/</c>.</summary>
    public required string[] Segments { get; init; }
    /// <summary>Query parameters (decoded), keys case-insensitive.</summary>
    public required IReadOnlyDictionary<string, string> Query { get; init; }
    public required IReadOnlyDictionary<string, string> Headers { get; init; }
    public JsonNode? Body { get; init; }
    public bool BodyIsInvalidJson { get; init; }
    public required GraphCaller Caller { get; init; }
    public required TenantState Tenant { get; init; }
    public required Uri BaseAddress { get; init; }

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
    public string? QueryValue(string name) => Query.TryGetValue(name, out var v) ? v : null;

    public bool PrefersUnknownEnumMembers =>
        Header("Prefer") is { } p && p.Contains("include-unknown-enum-members", StringComparison.OrdinalIgnoreCase);

    public static IReadOnlyDictionary<string, string> ParseQuery(string? query)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(query))
        {
            return result;
        }

        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var key = Uri.UnescapeDataString((eq < 0 ? part : part[..eq]).Replace('+', ' '));
            var value = eq < 0 ? "" : Uri.UnescapeDataString(part[(eq + 1)..].Replace('+', ' '));
            result[key] = value;
        }
        return result;
    }
}

/// <summary>A Graph response before it is written to HTTP or into a batch response.</summary>
public sealed class GraphResponse
{
    public int Status { get; init; }
    public JsonNode? Body { get; init; }
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static GraphResponse Ok(JsonNode body) => new() { Status = 200, Body = body };
    public static GraphResponse Created(JsonNode body) => new() { Status = 201, Body = body };
    public static GraphResponse NoContent() => new() { Status = 204 };

    /// <summary>An OData error; <c>innerError</c> is completed by <see cref="Complete"/>.</summary>
    public static GraphResponse Error(int status, string code, string message, JsonArray? details = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (details is not null)
        {
            error["details"] = details;
        }

        error["innerError"] = new JsonObject();
        return new GraphResponse { Status = status, Body = new JsonObject { ["error"] = error } };
    }

    public static GraphResponse NotFound(string id) =>
        Error(404, "Request_ResourceNotFound", $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");

    public static GraphResponse BadRequest(string message) => Error(400, "Request_BadRequest", message);

    public static GraphResponse TooManyRequests(int retryAfterSeconds)
    {
        var r = Error(429, "TooManyRequests", $"Too many requests. Please retry after {retryAfterSeconds} seconds.");
        r.Headers["Retry-After"] = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return r;
    }

    /// <summary>Fills innerError (request-id, date, client-request-id) and the matching headers.</summary>
    public GraphResponse Complete(string requestId, string? clientRequestId, DateTimeOffset now)
    {
        if (Body is JsonObject { } o && o["error"]?["innerError"] is JsonObject inner)
        {
            inner["date"] = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            inner["request-id"] = requestId;
            inner["client-request-id"] = clientRequestId ?? requestId;
        }
        Headers["request-id"] = requestId;
        Headers["client-request-id"] = clientRequestId ?? requestId;
        if (Body is not null)
        {
            Headers["Content-Type"] = "application/json";
        }

        return this;
    }
}
