using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator;

namespace RAOrchestrator.Testing;

/// <summary>Customer tenants in the emulator, and create requests whose Teams settings the admin has confirmed.</summary>
public static class ReadyTenants
{
    public static MeetingSettings Confirmed => new()
    {
        AnonymousJoin = MeetingSettings.Types.Switch.On,
        OrganizerAnonymousJoin = MeetingSettings.Types.Switch.On,
        AutoAdmittedUsers = MeetingSettings.Types.AutoAdmittedUsers.EveryoneInCompany,
        LobbyBypass = MeetingSettings.Types.LobbyBypass.Organizer,
    };

    /// <summary>A tenant with consent, an application access policy and licences, in the emulator.</summary>
    public static async Task<string> AddAsync(GraphEmulatorServer emulator, bool consent = true, bool appAccessPolicy = true)
    {
        var tenantId = Guid.NewGuid().ToString("D");
        await TestEmulator.AddTenantAsync(emulator, tenantId, consent: consent, appAccessPolicy: appAccessPolicy);
        return tenantId;
    }

    public static CreateTenantRequest Create(string tenantId, MeetingSettings? meetings = null) => new()
    {
        RequestId = Guid.NewGuid().ToString("D"),
        TenantId = tenantId,
        Tenant = new Tenant { DisplayName = "Company ABC", MeetingSettings = meetings ?? Confirmed },
    };
}
