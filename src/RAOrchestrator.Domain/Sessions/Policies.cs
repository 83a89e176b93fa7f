using System.Collections.Immutable;

namespace RAOrchestrator.Domain.Sessions;

/// <summary>
/// Who bypasses the lobby: the six values of Graph <c>lobbyBypassSettings.scope</c>, which are also the six values of
/// the Teams meeting policy's <c>AutoAdmittedUsers</c> (see <see cref="LobbyPolicy"/> for the mapping and the table).
/// The domain's one lobby scope: a session's lobby, a tenant's <c>AutoAdmittedUsers</c> and the Teams meetings' lobby
/// bypass all use it; names are given only at the edges (the proto enums, Graph's scope, PowerShell's values).
/// Never renumber.
/// </summary>
public enum LobbyScope : byte
{
    Organizer = 1,
    Organization = 2,
    OrganizationAndFederated = 3,
    Everyone = 4,
    Invited = 5,
    OrganizationExcludingGuests = 6,
}

/// <summary>The lobby rules of one session, fixed when it is scheduled.</summary>
/// <param name="Scope">Who is admitted at once; everyone else waits in our lobby.</param>
/// <param name="DialInBypass">Graph <c>isDialInBypassEnabled</c> / <c>AllowPSTNUsersToBypassLobby</c>; kept for the table, our gate admits no phone.</param>
/// <param name="AutoAdmitVerifiedInvitees">
/// Our extension: an anonymous guest who presents a valid invitation proof for an address the session invited is admitted
/// at once, whatever the scope. Off by default (Teams itself always holds anonymous users unless the scope is everyone).
/// </param>
/// <param name="MaxLobbyWait">How long a request may wait in the lobby before it ends with <c>LOBBY_TIMEOUT</c>.</param>
[GenerateSerializer, Immutable, Alias("raorch.sessions.LobbySettings")]
public sealed record LobbySettings(
    [property: Id(0)] LobbyScope Scope,
    [property: Id(1)] bool DialInBypass,
    [property: Id(2)] bool AutoAdmitVerifiedInvitees,
    [property: Id(3)] TimeSpan MaxLobbyWait)
{
    public static readonly TimeSpan DefaultMaxLobbyWait = TimeSpan.FromMinutes(15);

    /// <summary>The shortest <see cref="MaxLobbyWait"/> a session may set.</summary>
    public static readonly TimeSpan ShortestMaxLobbyWait = TimeSpan.FromSeconds(1);

    /// <summary>The longest <see cref="MaxLobbyWait"/> a session may set (as long as a session may last).</summary>
    public static readonly TimeSpan LongestMaxLobbyWait = TimeSpan.FromHours(24);

    /// <summary>The bounds as words, for a refusal.</summary>
    public const string MaxLobbyWaitBounds = "between 1 second and 24 hours";

    /// <summary>Whether <paramref name="wait"/> is within <see cref="ShortestMaxLobbyWait"/> and <see cref="LongestMaxLobbyWait"/>.</summary>
    public static bool IsValidMaxLobbyWait(TimeSpan wait) => wait >= ShortestMaxLobbyWait && wait <= LongestMaxLobbyWait;

    /// <summary>The Teams default ("People in my organization and guests").</summary>
    public static LobbySettings Default { get; } = new(LobbyScope.Organization, false, false, DefaultMaxLobbyWait);
}

/// <summary>How a tenant's Teams external access treats another tenant. Never renumber.</summary>
public enum ExternalAccessMode : byte
{
    /// <summary>External access off: no federated communication.</summary>
    Disabled = 1,

    /// <summary>"Allow all external domains".</summary>
    AllowAll = 2,

    /// <summary>Only the listed tenants are allowed (an allow list).</summary>
    AllowListed = 3,

    /// <summary>All but the listed tenants are allowed (a block list).</summary>
    BlockListed = 4,
}

/// <summary>
/// A tenant's external-access list. Teams keys it by domain; we key it by the tenant ids the grain resolved those
/// domains to, because federated participants are users of onboarded tenants whose ids we know.
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.ExternalAccessPolicy")]
public sealed record ExternalAccessPolicy(
    [property: Id(0)] ExternalAccessMode Mode,
    [property: Id(1)] ImmutableHashSet<string> Tenants)
{
    public static ExternalAccessPolicy AllowAll { get; } = new(ExternalAccessMode.AllowAll, []);

    public static ExternalAccessPolicy Disabled { get; } = new(ExternalAccessMode.Disabled, []);

    public static ExternalAccessPolicy AllowOnly(params string[] tenants) => new(ExternalAccessMode.AllowListed, [.. tenants]);

    public static ExternalAccessPolicy Block(params string[] tenants) => new(ExternalAccessMode.BlockListed, [.. tenants]);

    public bool Allows(string otherTenantId) => Mode switch
    {
        ExternalAccessMode.AllowAll => true,
        ExternalAccessMode.AllowListed => Tenants.Contains(otherTenantId),
        ExternalAccessMode.BlockListed => !Tenants.Contains(otherTenantId),
        _ => false,
    };
}

/// <summary>The session tenant's Teams settings that the rules read (Teams PowerShell only; the grain supplies them).</summary>
/// <param name="DisableAnonymousJoin"><c>Set-CsTeamsMeetingConfiguration -DisableAnonymousJoin</c> (org-wide).</param>
[GenerateSerializer, Immutable, Alias("raorch.sessions.TenantMeetingSettings")]
public sealed record TenantMeetingSettings(
    [property: Id(0)] string TenantId,
    [property: Id(1)] bool DisableAnonymousJoin,
    [property: Id(2)] ExternalAccessPolicy ExternalAccess);

/// <summary>The organizer's Teams meeting policy (<c>Set-CsTeamsMeetingPolicy</c>) as far as sessions care.</summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.OrganizerMeetingPolicy")]
public sealed record OrganizerMeetingPolicy(
    [property: Id(0)] bool AllowAnonymousUsersToJoinMeeting,
    [property: Id(1)] LobbyScope AutoAdmittedUsers,
    [property: Id(2)] bool AllowPstnUsersToBypassLobby)
{
    public static OrganizerMeetingPolicy Default { get; } = new(true, LobbyScope.Organization, false);
}

/// <summary>The organizer as the directory and the licence ledger know them.</summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.OrganizerFacts")]
public sealed record OrganizerFacts(
    [property: Id(0)] Principal User,
    [property: Id(1)] bool HasRemoteAssistLicence,
    [property: Id(2)] OrganizerMeetingPolicy Policy);

/// <summary>Another tenant as seen from a session: whether this service onboarded it and its external-access list.</summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.FederatedTenantFacts")]
public sealed record FederatedTenantFacts(
    [property: Id(0)] string TenantId,
    [property: Id(1)] bool Onboarded,
    [property: Id(2)] ExternalAccessPolicy ExternalAccess);

/// <summary>
/// Information-barrier verdicts the grain computed (with the barrier engine of each tenant involved) for the principals
/// of one request: principal key → why the organizer side may not meet them. A key absent from the map is allowed.
/// Both tenants' engines contribute for a federated user; <see cref="Merge"/> unions their verdicts.
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.BarrierVerdicts")]
public sealed record BarrierVerdicts([property: Id(0)] ImmutableDictionary<string, string> Blocked)
{
    public static BarrierVerdicts None { get; } = new(ImmutableDictionary<string, string>.Empty);

    public static BarrierVerdicts Blocking(string principalKey, string why) =>
        new(ImmutableDictionary<string, string>.Empty.Add(principalKey, why));

    public bool IsBlocked(string principalKey, out string why) => Blocked.TryGetValue(principalKey, out why!);

    public BarrierVerdicts Merge(BarrierVerdicts other) => new(Blocked.SetItems(other.Blocked.Where(kv => !Blocked.ContainsKey(kv.Key))));
}

/// <summary>
/// The outside facts a scheduling, invitation or join decision reads, gathered by the grain just before the call.
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.SessionPolicyInputs")]
public sealed record SessionPolicyInputs(
    [property: Id(0)] TenantMeetingSettings Tenant,
    [property: Id(1)] OrganizerFacts Organizer,
    [property: Id(2)] ImmutableDictionary<string, FederatedTenantFacts> OtherTenants,
    [property: Id(3)] BarrierVerdicts Barriers)
{
    /// <summary>Anonymous users can join only if the org does not disable it AND the organizer's policy allows it.</summary>
    public bool AnonymousJoinAllowed => !Tenant.DisableAnonymousJoin && Organizer.Policy.AllowAnonymousUsersToJoinMeeting;

    public SessionPolicyInputs With(BarrierVerdicts barriers) => this with { Barriers = barriers };
}

/// <summary>
/// Bounds of one session, stored with it so a session keeps the limits it was created under.
/// <para>
/// Who may be in at once: <see cref="MaxParticipants"/> people waiting in the lobby or admitted, the organizer and the
/// delegated admitters not counted (denied, removed, timed-out and departed people do not count either). Anonymous guests
/// at addresses the session did not invite have a budget of their own, <see cref="MaxAnonymousLobbyEntries"/> join
/// entries a session, so made-up joins cannot lock invitees, members or the organizer side out.
/// </para>
/// <para>
/// State bound (an Azure Table grain state holds about 960 KiB): at most <see cref="MaxParticipantRecords"/> participant
/// records besides the organizer side (the one that ended longest ago is forgotten, with its tickets, when a new one
/// comes), each with at most <see cref="MaxJoinAttemptsPerParticipant"/> + <see cref="MaxExtraTicketsPerParticipant"/>
/// tickets; at most <see cref="MaxInvitees"/> invitations; and the newest <see cref="MaxEvents"/> events (with the
/// defaults 3 + 50 + 25 × (5 × 5 + 2 × 3) = 828; older ones are dropped, so a watcher that falls further behind resumes
/// at the oldest kept). At the longest addresses and names (about 560 bytes an event, 1 KiB a participant) that is
/// under 800 KiB, and a test drives a session to it.
/// </para>
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.SessionLimits")]
public sealed record SessionLimits(
    [property: Id(0)] TimeSpan MaxDuration,
    [property: Id(1)] TimeSpan StartTolerance,
    [property: Id(2)] TimeSpan EarlyJoin,
    [property: Id(3)] TimeSpan Overrun,
    [property: Id(4)] TimeSpan TicketLifetime,
    [property: Id(5)] int MaxInvitees,
    [property: Id(6)] int MaxParticipants,
    [property: Id(7)] int MaxJoinAttemptsPerParticipant,
    [property: Id(8)] int MaxExtraTicketsPerParticipant,
    [property: Id(9)] int MaxSubjectLength,
    [property: Id(10)] int MaxAnonymousLobbyEntries = 20,
    [property: Id(11)] int MaxParticipantRecords = 100)
{
    public const int EventsPerAttempt = 5;
    public const int EventsPerExtraTicket = 2;

    public static SessionLimits Default { get; } = new(
        MaxDuration: TimeSpan.FromHours(24),
        StartTolerance: TimeSpan.FromMinutes(5),
        EarlyJoin: TimeSpan.FromMinutes(15),
        Overrun: TimeSpan.FromHours(2),
        TicketLifetime: TimeSpan.FromMinutes(5),
        MaxInvitees: 50,
        MaxParticipants: 25,
        MaxJoinAttemptsPerParticipant: 5,
        MaxExtraTicketsPerParticipant: 3,
        MaxSubjectLength: 255);

    /// <summary>The most events a session keeps (see the type's remarks); older ones are dropped from the head.</summary>
    public int MaxEvents => 3 + MaxInvitees
        + (MaxParticipants * ((MaxJoinAttemptsPerParticipant * EventsPerAttempt) + (MaxExtraTicketsPerParticipant * EventsPerExtraTicket)));
}
