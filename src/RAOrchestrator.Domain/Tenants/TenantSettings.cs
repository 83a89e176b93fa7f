using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Domain.Tenants;

/// <summary>A Teams switch as the tenant admin reports it: Graph cannot read these, so Unknown until confirmed.</summary>
public enum Switch
{
    Unknown = 0,
    On = 1,
    Off = 2,
}

/// <summary>
/// The tenant's Teams meeting settings that only Teams PowerShell can change: the org-wide anonymous-join switch,
/// the organizer policy's anonymous join and auto-admitted users, and the lobby bypass this service gives the Teams
/// meetings it creates.
/// </summary>
/// <param name="AutoAdmittedUsers">The organizer policy's AutoAdmittedUsers, as the lobby scope it means; null until confirmed.</param>
/// <param name="LobbyBypass">The lobby bypass scope of the Teams meetings this service creates.</param>
[GenerateSerializer, Immutable, Alias("raorch.MeetingSettings")]
public sealed record MeetingSettings(
    [property: Id(0)] Switch AnonymousJoin,
    [property: Id(1)] Switch OrganizerAnonymousJoin,
    [property: Id(2)] LobbyScope? AutoAdmittedUsers,
    [property: Id(3)] LobbyScope LobbyBypass)
{
    public static readonly MeetingSettings Unconfirmed = new(Switch.Unknown, Switch.Unknown, null, LobbyScope.Organizer);

    /// <summary>Anonymous users can join only if the org does not disable it and the organizer's policy allows it.</summary>
    public Switch AnonymousJoinEffective =>
        AnonymousJoin == Switch.Off || OrganizerAnonymousJoin == Switch.Off ? Switch.Off
        : AnonymousJoin == Switch.On && OrganizerAnonymousJoin == Switch.On ? Switch.On
        : Switch.Unknown;
}

/// <summary>Which SKU is Remote Assist and which is the information-barrier-capable suite, when the partner chose them.</summary>
[GenerateSerializer, Immutable, Alias("raorch.LicencePlan")]
public sealed record LicencePlan([property: Id(0)] Guid? RemoteAssistSku, [property: Id(1)] Guid? BarrierSuiteSku)
{
    public static readonly LicencePlan Automatic = new(null, null);
}

/// <summary>Everything a partner sets on a tenant.</summary>
[GenerateSerializer, Immutable, Alias("raorch.TenantSettings")]
public sealed record TenantSettings(
    [property: Id(0)] MeetingSettings Meetings,
    [property: Id(1)] LicencePlan Licences,
    [property: Id(2)] IReadOnlyList<string> ExternalAccessAllowedTenants)
{
    public static readonly TenantSettings Default = new(MeetingSettings.Unconfirmed, LicencePlan.Automatic, []);

    /// <summary>The tenant's mailbox that sign-in pass mails are sent from (an address in its domains); null: none, passes cannot be mailed.</summary>
    [Id(3)] public string? MailSender { get; init; }
}
