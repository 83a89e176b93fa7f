using System.Collections.Concurrent;
using RAOrchestrator.Contracts.V1;

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

    /// <summary>The Teams settings every tenant of the run is onboarded with: anonymous join on, the organizer's company admitted at once.</summary>
    public static MeetingSettings MeetingSettings => new()
    {
        AnonymousJoin = MeetingSettings.Types.Switch.On,
        OrganizerAnonymousJoin = MeetingSettings.Types.Switch.On,
        AutoAdmittedUsers = MeetingSettings.Types.AutoAdmittedUsers.EveryoneInCompany,
        LobbyBypass = MeetingSettings.Types.LobbyBypass.Organizer,
    };
}
