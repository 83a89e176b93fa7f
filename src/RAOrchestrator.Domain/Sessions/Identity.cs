namespace RAOrchestrator.Domain.Sessions;

/// <summary>
/// Who someone is relative to the session's tenant. These are the categories the Teams lobby policy distinguishes.
/// Never renumber.
/// </summary>
public enum PrincipalKind : byte
{
    /// <summary>A native member account of the session's tenant (userType Member).</summary>
    TenantMember = 1,

    /// <summary>A B2B guest account in the session's tenant directory (userType Guest).</summary>
    TenantGuest = 2,

    /// <summary>A user of another onboarded tenant, joining through external access (federation).</summary>
    Federated = 3,

    /// <summary>Anyone else, joining unauthenticated under a display name ("anonymous" in Teams).</summary>
    Anonymous = 4,

    /// <summary>A phone caller (PSTN). Listed for the lobby table; our gate never admits one (no supported client).</summary>
    DialIn = 5,
}

/// <summary>
/// A person as the session sees them. Users carry their tenant and object id; anonymous guests carry the display name
/// they typed and the e-mail address they say they were invited at (unverified unless an invitation proof is presented).
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.Principal")]
public sealed record Principal(
    [property: Id(0)] PrincipalKind Kind,
    [property: Id(1)] string? TenantId,
    [property: Id(2)] string? UserId,
    [property: Id(3)] string? Email,
    [property: Id(4)] string DisplayName)
{
    public static Principal Member(string tenantId, string userId, string displayName, string? email = null) =>
        new(PrincipalKind.TenantMember, tenantId, userId, EmailAddress.Normalize(email), displayName);

    public static Principal Guest(string tenantId, string userId, string displayName, string? email = null) =>
        new(PrincipalKind.TenantGuest, tenantId, userId, EmailAddress.Normalize(email), displayName);

    public static Principal FederatedUser(string homeTenantId, string userId, string displayName, string? email = null) =>
        new(PrincipalKind.Federated, homeTenantId, userId, EmailAddress.Normalize(email), displayName);

    public static Principal AnonymousGuest(string email, string displayName) =>
        new(PrincipalKind.Anonymous, null, null, EmailAddress.Normalize(email), displayName);

    public static Principal Phone(string number) => new(PrincipalKind.DialIn, null, null, null, number);

    private const string UserKeyPrefix = "user:";
    private const string GuestKeyPrefix = "guest:";
    private const string PhoneKeyPrefix = "phone:";

    /// <summary>
    /// The stable key of this person in a session: <c>user:{tenant}/{userId}</c> for accounts, <c>guest:{email}</c> for
    /// anonymous guests (the address is the only thing that ties a guest to an invitation), <c>phone:{number}</c>.
    /// </summary>
    public string Key => Kind switch
    {
        PrincipalKind.Anonymous => GuestKeyPrefix + Email,
        PrincipalKind.DialIn => PhoneKeyPrefix + DisplayName,
        _ => $"{UserKeyPrefix}{TenantId}/{UserId}",
    };

    /// <summary>Whether <paramref name="key"/> is this person's <see cref="Key"/>, without building the key (lobby steps ask it of every participant).</summary>
    public bool HasKey(string key) => Kind switch
    {
        PrincipalKind.Anonymous => KeyIs(key, GuestKeyPrefix, Email),
        PrincipalKind.DialIn => KeyIs(key, PhoneKeyPrefix, DisplayName),
        _ => KeyIs(key, UserKeyPrefix, TenantId, UserId),
    };

    public bool IsAccount => Kind is PrincipalKind.TenantMember or PrincipalKind.TenantGuest or PrincipalKind.Federated;

    /// <summary><paramref name="key"/> is <paramref name="prefix"/> and <paramref name="part"/> (null: empty, as in <see cref="Key"/>).</summary>
    private static bool KeyIs(string key, string prefix, string? part) =>
        key.StartsWith(prefix, StringComparison.Ordinal) && key.AsSpan(prefix.Length).SequenceEqual(part);

    /// <summary><paramref name="key"/> is <paramref name="prefix"/>, <paramref name="first"/>, <c>/</c> and <paramref name="second"/>.</summary>
    private static bool KeyIs(string key, string prefix, string? first, string? second)
    {
        var at = prefix.Length + (first?.Length ?? 0);
        return key.Length == at + 1 + (second?.Length ?? 0)
            && key.StartsWith(prefix, StringComparison.Ordinal)
            && key.AsSpan(prefix.Length, at - prefix.Length).SequenceEqual(first)
            && key[at] == '/'
            && key.AsSpan(at + 1).SequenceEqual(second);
    }
}

/// <summary>Who asks for an organizer-side action (invite, admit, deny, remove, end, cancel).</summary>
public enum ActorKind : byte
{
    /// <summary>A person; see <see cref="SessionActor.Principal"/>.</summary>
    Person = 1,

    /// <summary>
    /// The MSP partner that manages the tenant, acting through the API on the organizer's behalf. The grain vouches that
    /// the partner manages this tenant before it builds this actor.
    /// </summary>
    ManagingPartner = 2,
}

[GenerateSerializer, Immutable, Alias("raorch.sessions.SessionActor")]
public sealed record SessionActor(
    [property: Id(0)] ActorKind Kind,
    [property: Id(1)] Principal? Principal,
    [property: Id(2)] string? PartnerId)
{
    public static SessionActor Person(Principal principal) => new(ActorKind.Person, principal, null);

    public static SessionActor Partner(string partnerId) => new(ActorKind.ManagingPartner, null, partnerId);

    /// <summary>The id recorded in the timeline: the principal key or <c>partner:{id}</c>.</summary>
    public string Id => Kind == ActorKind.ManagingPartner ? $"partner:{PartnerId}" : Principal!.Key;
}

/// <summary>The app a participant joins from. Never renumber.</summary>
public enum ClientKind : byte
{
    RemoteAssistHoloLens = 1,
    TeamsDesktop = 2,
    TeamsMobile = 3,
    RemoteAssistMobile = 4,
    TeamsWeb = 5,
    Phone = 6,
}

/// <summary>
/// Which clients may join. Source: "Vendor and contractor usage of Remote Assist": only a Remote Assist (HoloLens) user
/// and Teams desktop users can join such a meeting; Remote Assist mobile and Teams mobile users cannot. The Teams web
/// page is only the launcher ("Launch it now" opens the desktop app), and phone callers have no video to annotate.
/// </summary>
public static class ClientRules
{
    public const string AllowedClientsText = "Remote Assist on HoloLens or Teams desktop";

    public static string Name(ClientKind client) => client switch
    {
        ClientKind.RemoteAssistHoloLens => "Remote Assist on HoloLens",
        ClientKind.TeamsDesktop => "Teams desktop",
        ClientKind.TeamsMobile => "Teams mobile",
        ClientKind.RemoteAssistMobile => "Remote Assist mobile",
        ClientKind.TeamsWeb => "Teams on the web",
        ClientKind.Phone => "a phone (dial-in)",
        _ => $"client {(int)client}",
    };

    /// <summary>Null when <paramref name="who"/> may join from <paramref name="client"/>, else the refusal.</summary>
    public static SessionRefusal? Check(ClientKind client, PrincipalKind who)
    {
        if (client is not (ClientKind.RemoteAssistHoloLens or ClientKind.TeamsDesktop))
        {
            return SessionRefusal.Of(SessionReasons.ClientNotSupported,
                $"{Name(client)} cannot join a Remote Assist session; join from {AllowedClientsText}.");
        }

        if (who == PrincipalKind.DialIn)
        {
            return SessionRefusal.Of(SessionReasons.ClientNotSupported,
                $"Phone callers cannot join a Remote Assist session; join from {AllowedClientsText}.");
        }

        if (client == ClientKind.RemoteAssistHoloLens && who == PrincipalKind.Anonymous)
        {
            return SessionRefusal.Of(SessionReasons.ClientNotSupported,
                $"Remote Assist on HoloLens needs a signed-in, licensed account; anonymous guests join from Teams desktop.");
        }

        return null;
    }
}

/// <summary>E-mail addresses as the session compares them: trimmed, lower case.</summary>
public static class EmailAddress
{
    public const int MaxLength = 254;

    public static string? Normalize(string? email) =>
        string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();

    /// <summary>A plausible address: one '@', non-empty local part, a dotted domain, no spaces or control characters.</summary>
    public static bool IsValid(string? email)
    {
        if (string.IsNullOrEmpty(email) || email.Length > MaxLength)
        {
            return false;
        }

        var at = email.IndexOf('@');
        if (at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1)
        {
            return false;
        }

        var domain = email.AsSpan(at + 1);
        if (domain.IndexOf('.') <= 0 || domain[^1] == '.')
        {
            return false;
        }

        foreach (var c in email)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }

    public static string Domain(string email) => email[(email.IndexOf('@') + 1)..];
}
