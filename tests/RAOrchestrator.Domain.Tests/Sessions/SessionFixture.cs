using System.Collections.Immutable;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Domain.Tests.Sessions;

/// <summary>Company ABC (the session's tenant), an onboarded partner tenant (Fabrikam) and the people of the published example.</summary>
internal static class SessionFixture
{
    public const string Abc = "11111111-1111-1111-1111-111111111111";
    public const string Fabrikam = "22222222-2222-2222-2222-222222222222";
    public const string NotOnboarded = "33333333-3333-3333-3333-333333333333";
    public const string SessionName = "tenants/11111111-1111-1111-1111-111111111111/sessions/s1";
    public const string JoinUrl = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0";

    public static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Start = Now.AddHours(1);
    public static readonly DateTimeOffset End = Start.AddHours(1);

    public static readonly Principal Technician = Principal.Member(Abc, "tech", "Taylor (HoloLens)", "taylor@abc.example");
    public static readonly Principal Supervisor = Principal.Member(Abc, "super", "Sam Supervisor", "sam@abc.example");
    public static readonly Principal Colleague = Principal.Member(Abc, "colleague", "Casey Colleague");
    public static readonly Principal AbcGuest = Principal.Guest(Abc, "guest1", "Gale Guest (B2B)");
    public static readonly Principal FabrikamUser = Principal.FederatedUser(Fabrikam, "fab1", "Fran Fabrikam");
    public static readonly Principal Expert = Principal.AnonymousGuest("Expert@OEM.example", "Olivia OEM Expert");
    public static readonly Principal Stranger = Principal.AnonymousGuest("someone@elsewhere.example", "Stranger");

    public static readonly byte[] ServiceKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    public static readonly byte[] SessionKey = InvitationProof.DeriveSessionKey(ServiceKey, SessionName);

    public static SessionPolicyInputs Inputs(
        bool disableAnonymousJoin = false,
        bool organizerAllowsAnonymous = true,
        bool licensed = true,
        LobbyScope autoAdmitted = LobbyScope.Organization,
        ExternalAccessPolicy? abcExternal = null,
        ExternalAccessPolicy? fabrikamExternal = null,
        BarrierVerdicts? barriers = null) =>
        new(
            new TenantMeetingSettings(Abc, disableAnonymousJoin, abcExternal ?? ExternalAccessPolicy.AllowAll),
            new OrganizerFacts(Technician, licensed, new OrganizerMeetingPolicy(organizerAllowsAnonymous, autoAdmitted, false)),
            ImmutableDictionary<string, FederatedTenantFacts>.Empty
                .Add(Fabrikam, new FederatedTenantFacts(Fabrikam, true, fabrikamExternal ?? ExternalAccessPolicy.AllowAll))
                .Add(NotOnboarded, new FederatedTenantFacts(NotOnboarded, false, ExternalAccessPolicy.AllowAll)),
            barriers ?? BarrierVerdicts.None);

    public static ScheduleRequest Request(
        IEnumerable<Principal>? invitees = null,
        IEnumerable<Principal>? admitters = null,
        LobbySettings? lobby = null,
        DateTimeOffset? start = null,
        DateTimeOffset? end = null,
        bool meetNow = false,
        string subject = "Set up the new press") =>
        new(SessionName, subject, start ?? Start, end ?? End, meetNow, [.. invitees ?? [Expert]], [.. admitters ?? []], lobby);

    public static OnlineMeeting Meeting(LobbySettings? lobby = null) =>
        new(JoinUrl, "meeting-1", LobbyPolicy.ForTeamsMeeting(lobby ?? LobbySettings.Default, gateFrontsMeeting: true));

    public static LobbySettings Lobby(LobbyScope scope, bool autoAdmitVerified = false, TimeSpan? maxWait = null) =>
        new(scope, false, autoAdmitVerified, maxWait ?? TimeSpan.FromMinutes(10));

    public static SessionState Scheduled(
        IEnumerable<Principal>? invitees = null,
        IEnumerable<Principal>? admitters = null,
        LobbySettings? lobby = null,
        SessionPolicyInputs? inputs = null,
        SessionLimits? limits = null) =>
        SessionState.Schedule(Request(invitees, admitters, lobby ?? Lobby(LobbyScope.Organization)), inputs ?? Inputs(), Meeting(lobby), Now, limits).GetValueOrThrow();

    public static SessionActor Actor(Principal p) => SessionActor.Person(p);

    public static JoinRequest Ask(Principal who, ClientKind client = ClientKind.TeamsDesktop, string? proof = null) => new(who, client, proof);

    /// <summary>Joins during the session window (at its start).</summary>
    public static SessionStep<JoinDecision> JoinAt(this SessionState s, Principal who, DateTimeOffset? at = null, ClientKind client = ClientKind.TeamsDesktop, string? proof = null, SessionPolicyInputs? inputs = null) =>
        s.Join(Ask(who, client, proof), inputs ?? Inputs(), SessionKey, at ?? Start, NextRandom());

    private static int _seed;

    public static ISessionRandom NextRandom() => new SeededRandom(Interlocked.Increment(ref _seed));
}

/// <summary>Deterministic bytes for tickets in tests.</summary>
internal sealed class SeededRandom(int seed) : ISessionRandom
{
    private readonly Random _random = new(seed);

    public void Fill(Span<byte> buffer) => _random.NextBytes(buffer);
}
