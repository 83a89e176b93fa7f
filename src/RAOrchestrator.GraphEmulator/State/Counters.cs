using System.Text.Json.Nodes;

namespace RAOrchestrator.GraphEmulator.State;

/// <summary>Request counters per tenant and endpoint, read by tests and <c>GET /_emulator/counters</c>.</summary>
public sealed class Counters
{
    public const string Unauthenticated = "(unauthenticated)";

    private readonly Lock _sync = new();
    private readonly Dictionary<string, TenantCounters> _tenants = new(StringComparer.OrdinalIgnoreCase);

    public TenantCounters ForTenant(string tenantId)
    {
        lock (_sync)
        {
            if (!_tenants.TryGetValue(tenantId, out var c))
            {
                _tenants[tenantId] = c = new TenantCounters();
            }

            return c.Snapshot();
        }
    }

    public void Reset()
    {
        lock (_sync)
        {
            _tenants.Clear();
        }
    }

    internal void Update(string tenantId, string? endpoint, Action<TenantCounters, EndpointCounters?> change)
    {
        lock (_sync)
        {
            if (!_tenants.TryGetValue(tenantId, out var c))
            {
                _tenants[tenantId] = c = new TenantCounters();
            }

            EndpointCounters? e = null;
            if (endpoint is not null && !c.Endpoints.TryGetValue(endpoint, out e))
            {
                c.Endpoints[endpoint] = e = new EndpointCounters();
            }

            change(c, e);
        }
    }

    public JsonObject ToJson()
    {
        lock (_sync)
        {
            var tenants = new JsonObject();
            foreach (var (id, c) in _tenants)
            {
                tenants[id] = c.ToJson();
            }

            return new JsonObject { ["tenants"] = tenants };
        }
    }
}

public sealed class TenantCounters
{
    /// <summary>Top-level HTTP requests (a $batch call counts once).</summary>
    public long Requests { get; set; }
    public long TokenRequests { get; set; }
    public long BatchCalls { get; set; }
    public long InnerBatchRequests { get; set; }
    /// <summary>429 responses sent, top-level and inside batches.</summary>
    public long Throttled { get; set; }
    /// <summary>Top-level requests that arrived before the last Retry-After given to that app+tenant had elapsed.</summary>
    public long EarlyRequests { get; set; }
    public long FaultsInjected { get; set; }
    public Dictionary<string, EndpointCounters> Endpoints { get; init; } = new(StringComparer.Ordinal);

    internal TenantCounters Snapshot() => new()
    {
        Requests = Requests,
        TokenRequests = TokenRequests,
        BatchCalls = BatchCalls,
        InnerBatchRequests = InnerBatchRequests,
        Throttled = Throttled,
        EarlyRequests = EarlyRequests,
        FaultsInjected = FaultsInjected,
        Endpoints = Endpoints.ToDictionary(kv => kv.Key, kv => kv.Value with { }, StringComparer.Ordinal),
    };

    internal JsonObject ToJson()
    {
        var endpoints = new JsonObject();
        foreach (var (k, e) in Endpoints)
        {
            endpoints[k] = new JsonObject
            {
                ["requests"] = e.Requests,
                ["innerBatchRequests"] = e.InnerBatchRequests,
                ["throttled"] = e.Throttled,
            };
        }
        return new JsonObject
        {
            ["requests"] = Requests,
            ["tokenRequests"] = TokenRequests,
            ["batchCalls"] = BatchCalls,
            ["innerBatchRequests"] = InnerBatchRequests,
            ["throttled"] = Throttled,
            ["earlyRequests"] = EarlyRequests,
            ["faultsInjected"] = FaultsInjected,
            ["endpoints"] = endpoints,
        };
    }
}

public sealed record EndpointCounters
{
    public long Requests { get; set; }
    public long InnerBatchRequests { get; set; }
    public long Throttled { get; set; }
}
