using Google.Protobuf.WellKnownTypes;
using Microsoft.Playwright;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Testing;
using RAOrchestrator.Web.Tests.Approval;
using RAOrchestrator.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RAOrchestrator.Web.Tests.Console;

/// <summary>
/// An onboarded customer tenant (claimed by a partner and approved by its administrator in the browser) with a licensed
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
        await using (var admin = await fixture.BrowserAsync())
        {
            await world._flow.DecideAsync(admin.Page, world._flow.Admin);
        }

        var operations = world.Host.Operations(world.Partner);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        Operation operation;
        do
        {
            await Task.Delay(250);
            operation = (await operations.GetOperationAsync(new GetOperationRequest { Name = world._flow.Claim.Operation.Name })).Operation;
        }
        while (!operation.Done && DateTime.UtcNow < deadline);
        Assert.Equal(Operation.Types.State.Succeeded, operation.State);

        world.OrganizerId = await TestEmulator.AddLicensedMemberAsync(fixture.Emulator, world.TenantId);
        return world;
    }

    /// <summary>A member of the tenant (no licence) whom a session names its delegated admitter; returns its sign-in name.</summary>
    public async Task<(string Id, string Upn)> AddAdmitterAsync()
    {
        var id = await TestEmulator.AddUserAsync(fixture.Emulator, TenantId, "dana-delegate", "Dana Delegate", licensed: false);
        return (id, $"dana-delegate@{TestEmulator.DefaultDomain(TenantId)}");
    }

    /// <summary>A session the organizer runs, starting in a few minutes, with <paramref name="guests"/> invited by address.</summary>
    public Task<Session> ScheduleAsync(string subject, params string[] guests) => ScheduleWithAdmitterAsync(subject, null, guests);

    /// <summary>As <see cref="ScheduleAsync"/>, naming <paramref name="admitterId"/> a delegated admitter.</summary>
    public async Task<Session> ScheduleWithAdmitterAsync(string subject, string? admitterId, params string[] guests)
    {
        var request = new CreateSessionRequest
        {
            RequestId = Guid.NewGuid().ToString("D"),
            Parent = $"tenants/{TenantId}",
            SessionId = "s-" + Guid.NewGuid().ToString("N")[..12],
            Session = new Session
            {
                Organizer = new Person { TenantUser = new Person.Types.TenantUser { UserId = OrganizerId } },
                Subject = subject,
                StartTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(5)),
                EndTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(1)),
            },
        };
        request.Session.Invitations.AddRange(guests.Select(g => new Invitation { Person = Guest(g) }));
        if (admitterId is not null)
        {
            request.Session.DelegatedAdmitters.Add(new Person { TenantUser = new Person.Types.TenantUser { UserId = admitterId } });
        }

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
        await page.WaitForURLAsync(url => url.StartsWith(fixture.Emulator.BaseAddress.ToString(), StringComparison.Ordinal));
        await EmulatorSignIn.SignInAsync(page, username);
        await page.WaitForURLAsync(url => url.StartsWith(ConsoleUri.ToString(), StringComparison.Ordinal) && !url.Contains("callback", StringComparison.Ordinal));
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
        await page.WaitForURLAsync(url => url.StartsWith(ConsoleUri.ToString(), StringComparison.Ordinal));
    }

    /// <summary>Opens the console and chooses the partner staff's sign-in; the browser then shows the partner issuer's sign-in page.</summary>
    public async Task StartStaffSignInAsync(IPage page)
    {
        await page.GotoAsync(ConsoleUri.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in as partner staff" }).ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(fixture.Emulator.BaseAddress.ToString(), StringComparison.Ordinal));
    }

    public static ILocator Lobby(IPage page, Session session) => page.Locator($"section#s-{session.Name[(session.Name.LastIndexOf('/') + 1)..]}");

    public static Person Guest(string email) => new() { AnonymousGuest = new Person.Types.AnonymousGuest { Email = email, DisplayName = DisplayName(email) } };

    /// <summary>The display name a guest gives: "erin.expert@..." is "Erin Expert".</summary>
    public static string DisplayName(string email) =>
        string.Join(' ', email[..email.IndexOf('@')].Split('.').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
}
