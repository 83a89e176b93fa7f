using System.Text.Json;

namespace RAOrchestrator.Directory.Throttling;

/// <summary>
/// What a request costs against Graph's identity budgets, as Microsoft publishes it: GET of users or the organization
/// 2 units, subscribedSkus 3, a write 1 unit and 1 write; $select -1, $expand +1. A $batch costs what its inner
/// requests cost; batching does not raise the quota.
/// </summary>
internal static class GraphRequestCost
{
    public readonly record struct Cost(int Units, int Writes)
    {
        public static Cost operator +(Cost a, Cost b) => new(a.Units + b.Units, a.Writes + b.Writes);
    }

    public static async Task<Cost> OfAsync(HttpRequestMessage request, byte[]? body)
    {
        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        if (request.Method == HttpMethod.Post && path.EndsWith("/$batch", StringComparison.Ordinal) && body is not null)
        {
            return await Task.FromResult(OfBatch(body));
        }

        return Of(request.Method.Method, request.RequestUri?.PathAndQuery ?? string.Empty);
    }

    public static Cost Of(string method, string pathAndQuery)
    {
        if (!string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase))
        {
            return new Cost(1, 1);
        }

        var query = pathAndQuery.Contains('?', StringComparison.Ordinal) ? pathAndQuery[pathAndQuery.IndexOf('?', StringComparison.Ordinal)..] : string.Empty;
        var decoded = Uri.UnescapeDataString(query);
        var units = pathAndQuery.Contains("subscribedSkus", StringComparison.OrdinalIgnoreCase) ? 3 : 2;
        if (decoded.Contains("$select=", StringComparison.OrdinalIgnoreCase))
        {
            units--;
        }

        if (decoded.Contains("$expand=", StringComparison.OrdinalIgnoreCase))
        {
            units++;
        }

        return new Cost(Math.Max(1, units), 0);
    }

    private static Cost OfBatch(byte[] body)
    {
        var total = new Cost(0, 0);
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("requests", out var requests) && requests.ValueKind == JsonValueKind.Array)
            {
                foreach (var inner in requests.EnumerateArray())
                {
                    var method = inner.TryGetProperty("method", out var m) ? m.GetString() ?? "GET" : "GET";
                    var url = inner.TryGetProperty("url", out var u) ? u.GetString() ?? string.Empty : string.Empty;
                    total += Of(method, url);
                }
            }
        }
        catch (JsonException)
        {
            // Not ours to judge; Graph will refuse it. Count it as one write.
            return new Cost(1, 1);
        }

        return total.Units == 0 ? new Cost(1, 0) : total;
    }
}
