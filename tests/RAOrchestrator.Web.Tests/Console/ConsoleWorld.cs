using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Playwright;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Testing;
using RAOrchestrator.Web.Tests.Approval;
using RAOrchestrator.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RAOrchestrator.Web.Tests.Console;

/// <summary>
/// An onboarded customer tenant (claimed by a partner and approved by its administrator on the approval page) with a licensed
/// organizer, the sessions the partner schedules for it, guests joining over gRPC, and people signing in to the console.
/// </summary>
public sealed class ConsoleWorld(WebFixture fixture, LoopbackHost host)
{
    /// <summary>The vendor's expert the sessions invite: a guest by address, "Erin Expert".</summary>
    public const string Expert = "erin.expert@oem.example";

    private ApprovalFlow _flow = null!;

    public LoopbackHost Host => host;

    public string TenantId => _flow.TenantId;
    public string Partner => _flow.Partner;
    public string Organizer => $"hololens-tech@{TestEmulator.DefaultDomain(TenantId)}";
    public string OrganizerId { get; private set; } = string.Empty;

    /// <summary>A member of the tenant who organizes nothing and admits for nothing.</summary>
    public string Member => _flow.Member;

    public Uri ConsoleUri => new(host.WebUrl, "/console");

    public SessionService.SessionServiceClient Sessions => host.Sessions(Partner);

    /// <param name="host">The host the partner onboards at; by default the fixture's.</param>
    public static async Task<ConsoleWorld> OnboardAsync(WebFixture fixture, LoopbackHost? host = null)
    {
        var world = new ConsoleWorld(fixture, host ?? fixture.Host);
        world._flow = await new ApprovalFlow(fixture).ClaimAsync(world.Host);
        // The administrator approves through the approval page over plain HTTP: the page in the browser is what
        // Approval/ tests, and here it is only the way in.
        await AutoApproval.ApproveOnceAsync(fixture.Emulator, world._flow.ApprovalUri);
        await world.SucceedsAsync(world._flow.Claim.Operation.Name);
        world.OrganizerId = await TestEmulator.AddLicensedMemberAsync(fixture.Emulator, world.TenantId);
        return world;
    }

    /// <summary>Waits for the partner's operation to finish, and checks that it succeeded.</summary>
    private async Task SucceedsAsync(string name)
    {
        var operations = Host.Operations(Partner);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        Operation operation;
        do
        {
            await Task.Delay(250);
            operation = (await operations.GetOperationAsync(new GetOperationRequest { Name = name })).Operation;
        }
        while (!operation.Done && DateTime.UtcNow < deadline);
        Assert.Equal(Operation.Types.State.Succeeded, operation.State);
    }

    /// <summary>
    /// Information barriers: the tenant's Finance department may not meet OEM Ltd's people (a block policy, applied).
    /// Answers a finance controller and a vendor, both members of the tenant.
    /// </summary>
    public async Task<(string Controller, string Vendor)> KeepFinanceFromVendorsAsync()
    {
        var controller = await TestEmulator.AddUserAsync(fixture.Emulator, TenantId, "fin-controller", "Fiona Finance", licensed: false, department: "Finance");
        var vendor = await TestEmulator.AddUserAsync(fixture.Emulator, TenantId, "oem-vendor", "Otto OEM", licensed: false, company: "OEM Ltd");
        var barriers = fixture.Host.Barriers(Partner);
        var tenant = $"tenants/{TenantId}";
        await barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = tenant, SegmentId = "Finance", Segment = new Segment { UserGroupFilter = "Department -eq 'Finance'" } });
        await barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = tenant, SegmentId = "Vendors-OEM", Segment = new Segment { UserGroupFilter = "Company -eq 'OEM Ltd'" } });
        var policy = new BarrierPolicy { AssignedSegment = "Finance", Kind = BarrierPolicy.Types.Kind.Block, Segments = { "Vendors-OEM" }, State = BarrierPolicy.Types.State.Active };
        await barriers.CreateBarrierPolicyAsync(new CreateBarrierPolicyRequest { Parent = tenant, BarrierPolicyId = "finance-blocks-vendors", BarrierPolicy = policy });
        var applied = await barriers.ApplyBarrierPoliciesAsync(new ApplyBarrierPoliciesRequest { Parent = tenant, RequestId = Guid.NewGuid().ToString("D") });
        await SucceedsAsync(applied.Operation.Name);
        return (controller, vendor);
    }

    /// <summary>A session whose lobby holds everyone but the organizer, inviting <paramref name="memberIds"/> (members of the tenant).</summary>
    public Task<Session> ScheduleForMembersAsync(string subject, params string[] memberIds) => CreateAsync(subject, session =>
    {
        session.Lobby = new LobbySettings { Scope = LobbyScope.Organizer };
        session.Invitations.AddRange(memberIds.Select(id => new Invitation { Person = TenantUser(id) }));
    });

    /// <summary>A member of the tenant joins from Teams desktop (over gRPC); answers the participant.</summary>
    public async Task<Participant> MemberJoinsAsync(Session session, string userId) =>
        (await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = session.Name, Person = TenantUser(userId), Client = ClientKind.TeamsDesktop })).Participant;

    /// <summary>A member of the tenant (no licence) whom a session names its delegated admitter; returns its sign-in name.</summary>
    public async Task<(string Id, string Upn)> AddAdmitterAsync()
    {
        var id = await TestEmulator.AddUserAsync(fixture.Emulator, TenantId, "dana-delegate", "Dana Delegate", licensed: false);
        return (id, $"dana-delegate@{TestEmulator.DefaultDomain(TenantId)}");
    }

    /// <summary>A session the organizer runs, starting in a few minutes, with <paramref name="guests"/> invited by address.</summary>
    public Task<Session> ScheduleAsync(string subject, params string[] guests) => ScheduleWithAdmitterAsync(subject, null, guests);

    /// <summary>As <see cref="ScheduleAsync"/>, naming <paramref name="admitterId"/> a delegated admitter.</summary>
    public Task<Session> ScheduleWithAdmitterAsync(string subject, string? admitterId, params string[] guests) => CreateAsync(subject, session =>
    {
        session.Invitations.AddRange(guests.Select(g => new Invitation { Person = Guest(g) }));
        if (admitterId is not null)
        {
            session.DelegatedAdmitters.Add(TenantUser(admitterId));
        }
    });

    /// <summary>A session the organizer runs, starting in a few minutes, as <paramref name="shape"/> completes it.</summary>
    private async Task<Session> CreateAsync(string subject, Action<Session> shape)
    {
        var request = new CreateSessionRequest
        {
            RequestId = Guid.NewGuid().ToString("D"),
            Parent = $"tenants/{TenantId}",
            SessionId = "s-" + Guid.NewGuid().ToString("N")[..12],
            Session = new Session
            {
                Organizer = TenantUser(OrganizerId),
                Subject = subject,
                StartTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(5)),
                EndTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(1)),
            },
        };
        shape(request.Session);
        return (await Sessions.CreateSessionAsync(request)).Session;
    }

    /// <summary>An invited guest asks to join from Teams desktop (over gRPC, as a partner's own join page would) and waits in the lobby.</summary>
    public async Task<Participant> GuestJoinsAsync(Session session, string email)
    {
        var joined = await Sessions.JoinSessionAsync(new JoinSessionRequest { Name = session.Name, Person = Guest(email), Client = ClientKind.TeamsDesktop });
        Assert.Equal(Participant.Types.State.InLobby, joined.Participant.State);
        return joined.Participant;
    }

    public async Task<Participant> ParticipantAsync(Session session, string id) =>
        (await Sessions.GetSessionAsync(new GetSessionRequest { Name = session.Name })).Session.Participants.Single(p => p.Id == id);

    /// <summary>Opens the console, signs in as <paramref name="username"/> on the emulator's sign-in page, and waits for the console.</summary>
    public async Task SignInAsync(IPage page, string username)
    {
        await page.GotoAsync($"{ConsoleUri}?tenant={TenantId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Navigation.ArrivesAtAsync(page, fixture.Emulator.BaseAddress.ToString());
        await EmulatorSignIn.SignInAsync(page, username);
        await Navigation.ArrivesAtAsync(page, new Regex("^" + Regex.Escape(ConsoleUri.ToString()) + "(?!.*callback)"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Lobby console" })).ToBeVisibleAsync();
    }

    /// <summary>
    /// At the host whose partner authority is the emulator's partner issuer: an onboarded tenant, a session with Erin
    /// Expert waiting in its lobby, and a staff member of the tenant's partner holding <paramref name="roles"/>.
    /// </summary>
    public static async Task<(ConsoleWorld World, Session Session, Participant Guest, string Staff)> StaffSceneAsync(WebFixture fixture, params string[] roles)
    {
        var world = await OnboardAsync(fixture, await fixture.PartnerIssuerHostAsync());
        var session = await world.ScheduleAsync("Pump P-17 alignment", Expert);
        var guest = await world.GuestJoinsAsync(session, Expert);
        return (world, session, guest, TestEmulator.AddPartnerStaff(fixture.Emulator, world.Partner, "Sam Support", roles));
    }

    /// <summary>Opens the console, chooses the partner staff's sign-in, signs in as <paramref name="username"/> at the partner issuer, and waits for the host's answer.</summary>
    public async Task StaffSignInAsync(IPage page, string username)
    {
        await StartStaffSignInAsync(page);
        await EmulatorSignIn.SignInAsync(page, username);
        // The staff console, or the callback's refusal when the issuer's answer is not accepted.
        await Navigation.ArrivesAtAsync(page, ConsoleUri.ToString());
    }

    /// <summary>Opens the console and chooses the partner staff's sign-in; the browser then shows the partner issuer's sign-in page.</summary>
    public async Task StartStaffSignInAsync(IPage page)
    {
        await page.GotoAsync(ConsoleUri.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in as partner staff" }).ClickAsync();
        await Navigation.ArrivesAtAsync(page, fixture.Emulator.BaseAddress.ToString());
    }

    /// <summary>A new browser, signed in to the console as <paramref name="username"/>.</summary>
    public async Task<BrowserSession> ConsoleAsAsync(string username)
    {
        var browser = await fixture.BrowserAsync();
        await SignInAsync(browser.Page, username);
        return browser;
    }

    /// <summary>The session's lobby on the organizer's console or the staff console (found by its feed's path).</summary>
    public static ILocator Lobby(IPage page, Session session) => page.Locator($"section.lobby[data-lobby$='{FeedPath(session)}']");

    /// <summary>How many times the browser has asked the session's lobby feed so far, on either console.</summary>
    public static int FeedRequests(BrowserSession browser, Session session) =>
        browser.Requests.Count(r => r.AbsolutePath.EndsWith(FeedPath(session), StringComparison.Ordinal));

    /// <summary>The end of the session's lobby feed's path, the same on the organizer's console and the staff console.</summary>
    private static string FeedPath(Session session) => $"/sessions/{session.Name[(session.Name.LastIndexOf('/') + 1)..]}/lobby";

    public static Person TenantUser(string userId) => new() { TenantUser = new Person.Types.TenantUser { UserId = userId } };

    public static Person Guest(string email) => new() { AnonymousGuest = new Person.Types.AnonymousGuest { Email = email, DisplayName = DisplayName(email) } };

    /// <summary>The display name a guest gives: "erin.expert@..." is "Erin Expert".</summary>
    public static string DisplayName(string email) =>
        string.Join(' ', email[..email.IndexOf('@')].Split('.').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
}
