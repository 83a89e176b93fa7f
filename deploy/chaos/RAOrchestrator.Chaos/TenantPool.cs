using System.Collections.Concurrent;

namespace RAOrchestrator.Chaos;

/// <summary>The run's customer tenants: all of them, and those seen ACTIVE so far (which the other workloads use).</summary>
public sealed class TenantPool
{
    private readonly ConcurrentDictionary<string, bool> _active = new();

    public IReadOnlyList<string> All { get; private set; } = [];

    public IReadOnlyCollection<string> Active => (IReadOnlyCollection<string>)_active.Keys;

    public event Action<string>? BecameActive;

    public void SetAll(IReadOnlyList<string> tenantIds) => All = tenantIds;

    public void MarkActive(string tenantId)
    {
        if (_active.TryAdd(tenantId, true))
        {
            BecameActive?.Invoke(tenantId);
        }
    }

    public static string Name(string tenantId) => "tenants/" + tenantId;
}
