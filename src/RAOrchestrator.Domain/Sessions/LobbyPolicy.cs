namespace RAOrchestrator.Domain.Sessions;

/// <summary>What the lobby rule knows about someone asking to join.</summary>
/// <param name="Kind">Member, guest, federated, anonymous or phone.</param>
/// <param name="IsOrganizer">The session's organizer.</param>
/// <param name="IsDelegatedAdmitter">Named on the session as an admitter (our counterpart of a co-organizer).</param>
/// <param name="IsInvited">The person's account (or, for a guest, the address it claims) is on the invitation list.</param>
/// <param name="InvitationVerified">An anonymous guest presented a valid invitation proof for that address.</param>
public readonly record struct LobbySubject(
    PrincipalKind Kind,
    bool IsOrganizer,
    bool IsDelegatedAdmitter,
    bool IsInvited,
    bool InvitationVerified);

/// <summary>Whether a join request goes straight in, and which rule said so (for the timeline and the caller).</summary>
public readonly record struct LobbyVerdict(bool Bypass, string Rule);

/// <summary>
/// The lobby rule: who is admitted at once under each scope. It follows the Teams semantics documented for
/// <c>lobbyBypassSettings.scope</c> (Graph) and <c>AutoAdmittedUsers</c> (Set-CsTeamsMeetingPolicy, "Who can bypass the
/// lobby"); "guest" means a B2B guest account in the organizer's tenant, "federated" a user of a trusted (external
/// access) organisation, "anonymous" an unauthenticated joiner.
/// <code>
/// scope (Graph / AutoAdmittedUsers / meeting options text)         member  guest  federated  anonymous
/// organizer                   / OrganizerOnly                     / "Only me"                 -       -        -          -
/// organizationExcludingGuests / EveryoneInCompanyExcludingGuests  / "People in my org"        yes     -        -          -
/// organization                / EveryoneInCompany                 / "My org and guests"       yes     yes      -          -
/// organizationAndFederated    / EveryoneInSameAndFederatedCompany / "+ trusted orgs"          yes     yes      yes        -
/// invited                     / InvitedUsers                      / "People I invite"         inv.    inv.     inv.       -
/// everyone                    / Everyone                          / "Everyone"                yes     yes      yes        yes
/// </code>
/// "inv." = only when the account itself is on the invitation list (Teams: members of an invited distribution group
/// still wait; we resolve invitations to accounts, so the same holds). Under every scope:
/// <list type="bullet">
/// <item>the organizer bypasses;</item>
/// <item>delegated admitters bypass (Teams' "Only me and co-organizers"; someone who may admit others would only admit themselves);</item>
/// <item>dial-in callers bypass only when <see cref="LobbySettings.DialInBypass"/> is on: Microsoft documents that the
/// automatic-admission setting does not apply to dial-in users (our gate refuses phones anyway, see <see cref="ClientRules"/>);</item>
/// <item>anonymous guests never bypass except under <c>everyone</c> (Teams cannot tell that an unauthenticated user was
/// invited), unless the session opts into <see cref="LobbySettings.AutoAdmitVerifiedInvitees"/> and the guest proves
/// its invitation with an <see cref="InvitationProof"/>.</item>
/// </list>
/// </summary>
public static class LobbyPolicy
{
    public static LobbyVerdict Decide(LobbySettings settings, LobbySubject who)
    {
        if (who.IsOrganizer)
        {
            return new(true, "ORGANIZER");
        }

        if (who.IsDelegatedAdmitter)
        {
            return new(true, "DELEGATED_ADMITTER");
        }

        if (who.Kind == PrincipalKind.DialIn)
        {
            return new(settings.DialInBypass, settings.DialInBypass ? "DIAL_IN_BYPASS" : "DIAL_IN_WAITS");
        }

        if (who.Kind == PrincipalKind.Anonymous && settings.Scope != LobbyScope.Everyone
            && settings.AutoAdmitVerifiedInvitees && who.IsInvited && who.InvitationVerified)
        {
            return new(true, SessionReasons.VerifiedInvitation);
        }

        var bypass = settings.Scope switch
        {
            LobbyScope.Organizer => false,
            LobbyScope.OrganizationExcludingGuests => who.Kind == PrincipalKind.TenantMember,
            LobbyScope.Organization => who.Kind is PrincipalKind.TenantMember or PrincipalKind.TenantGuest,
            LobbyScope.OrganizationAndFederated => who.Kind is PrincipalKind.TenantMember or PrincipalKind.TenantGuest or PrincipalKind.Federated,
            LobbyScope.Invited => who.IsInvited && (who.Kind is PrincipalKind.TenantMember or PrincipalKind.TenantGuest or PrincipalKind.Federated),
            LobbyScope.Everyone => true,
            _ => false,
        };

        return new(bypass, $"SCOPE_{GraphName(settings.Scope).ToUpperInvariant()}");
    }

    /// <summary>The Graph <c>lobbyBypassScope</c> string.</summary>
    public static string GraphName(LobbyScope scope) => scope switch
    {
        LobbyScope.Organizer => "organizer",
        LobbyScope.Organization => "organization",
        LobbyScope.OrganizationAndFederated => "organizationAndFederated",
        LobbyScope.Everyone => "everyone",
        LobbyScope.Invited => "invited",
        LobbyScope.OrganizationExcludingGuests => "organizationExcludingGuests",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
    };

    /// <summary>The Teams meeting policy <c>AutoAdmittedUsers</c> value of the same meaning.</summary>
    public static string AutoAdmittedUsersName(LobbyScope scope) => scope switch
    {
        LobbyScope.Organizer => "OrganizerOnly",
        LobbyScope.Organization => "EveryoneInCompany",
        LobbyScope.OrganizationAndFederated => "EveryoneInSameAndFederatedCompany",
        LobbyScope.Everyone => "Everyone",
        LobbyScope.Invited => "InvitedUsers",
        LobbyScope.OrganizationExcludingGuests => "EveryoneInCompanyExcludingGuests",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
    };

    public static bool TryParseGraphName(string? value, out LobbyScope scope) => TryParse(value, GraphName, out scope);

    public static bool TryParseAutoAdmittedUsers(string? value, out LobbyScope scope) => TryParse(value, AutoAdmittedUsersName, out scope);

    private static bool TryParse(string? value, Func<LobbyScope, string> name, out LobbyScope scope)
    {
        foreach (var s in Enum.GetValues<LobbyScope>())
        {
            if (string.Equals(name(s), value, StringComparison.OrdinalIgnoreCase))
            {
                scope = s;
                return true;
            }
        }

        scope = default;
        return false;
    }

    /// <summary>
    /// The <c>lobbyBypassSettings</c> to put on the Teams meeting behind a session.
    /// <para>
    /// When our gate fronts the meeting (<paramref name="gateFrontsMeeting"/>: the join URL reaches people only inside
    /// join tickets this gate issued after admission, i.e. the meeting is created with <c>onlineMeetings</c> and the
    /// invitations the service sends carry the gate link, not the Teams link), the Teams meeting is set to
    /// <c>everyone</c> with dial-in bypass off. Reasons: (1) <c>everyone</c> is the only scope under which Teams lets an
    /// anonymous user straight in; under any other scope, including <c>invited</c>, a guest our lobby admitted would be
    /// held a second time in the Teams lobby; (2) nobody could let them out, because Graph has no API to admit from a
    /// Teams lobby and the Remote Assist HoloLens app cannot admit; (3) the decision to admit has already been taken
    /// once, by the organizer side, with barriers, external access and anonymous-join checked. The price is that the
    /// join URL becomes a bearer secret: it is only handed out in single-use, short-lived tickets, and phone dial-in is
    /// not bypassed (phones cannot pass our gate).
    /// </para>
    /// <para>
    /// When the join URL also travels outside the gate (for example a calendar invitation sent through
    /// <c>POST /users/{id}/events</c> with the attendees, which mails them the Teams link), the gate is not the only
    /// door, so Teams must keep enforcing the session's own scope and dial-in setting: our lobby is then an advisory
    /// pre-check, and guests will wait in the Teams lobby too, to be admitted by someone on Teams desktop.
    /// </para>
    /// </summary>
    public static TeamsLobbySettings ForTeamsMeeting(LobbySettings session, bool gateFrontsMeeting) =>
        gateFrontsMeeting
            ? new TeamsLobbySettings(LobbyScope.Everyone, IsDialInBypassEnabled: false)
            : new TeamsLobbySettings(session.Scope, session.DialInBypass);
}

/// <summary>The Graph <c>lobbyBypassSettings</c> of a Teams meeting.</summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.TeamsLobbySettings")]
public sealed record TeamsLobbySettings(
    [property: Id(0)] LobbyScope Scope,
    [property: Id(1)] bool IsDialInBypassEnabled)
{
    /// <summary>The Graph scope string; <c>invited</c> and <c>organizationExcludingGuests</c> need <c>Prefer: include-unknown-enum-members</c>.</summary>
    public string GraphScope => LobbyPolicy.GraphName(Scope);

    public bool NeedsUnknownEnumMembersHeader => Scope is LobbyScope.Invited or LobbyScope.OrganizationExcludingGuests;
}
