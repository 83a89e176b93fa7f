using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Playwright;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Testing;
using RAOrchestrator.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RAOrchestrator.Web.Tests.Gate;

/// <summary>
/// A session of an onboarded tenant with one invited anonymous guest, the guest's steps on the join page, and the
/// admitter's side over gRPC (as the lobby console will make them).
/// </summary>
public sealed class GateFlow(WebFixture fixture)
{
    public const string GuestName = "Erin Expert";
    public const string Subject = "Pump P-17 alignment";

    public string Partner { get; } = "partner-" + Guid.NewGuid().ToString("N")[..12];
    public string GuestEmail { get; } = $"erin-{Guid.NewGuid().ToString("N")[..6]}@oem.example";
    public string TenantId { get; private set; } = string.Empty;
    public string Technician { get; private set; } = string.Empty;
    public Session Session { get; private set; } = null!;

    /// <summary>The link the invitation mail carries for the guest: the host's join page with the address and its proof.</summary>
    public string InvitationLink => Session.Invitations.Single().InvitationLink;

    public SessionService.SessionServiceClient Sessions => fixture.Host.Sessions(Partner);

    public async Task<GateFlow> ScheduleAsync(TimeSpan? maxWait = null)
    {
        TenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var created = await fixture.Host.ApprovedTenants(Partner).CreateTenantAsync(ReadyTenants.Create(TenantId));
        using (var call = fixture.Host.Operations(Partner).WatchOperation(new WatchOperationRequest { Name = created.Operation.Name }))
        {
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
            {
            }
        }

        Technician = await TestEmulator.AddLicensedMemberAsync(fixture.Emulator, TenantId);
        var request = new CreateSessionRequest
        {
            RequestId = Guid.NewGuid().ToString("D"),
            Parent = created.Tenant.Name,
            SessionId = "s-" + Guid.NewGuid().ToString("N")[..12],
            Session = new Session
            {
                Organizer = new Person { TenantUser = new Person.Types.TenantUser { UserId = Technician } },
                Subject = Subject,
                StartTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(5)),
                EndTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(1)),
                Lobby = maxWait is null ? null : new LobbySettings { MaxWait = Duration.FromTimeSpan(maxWait.Value) },
            },
        };
        request.Session.Invitations.Add(new Invitation { Person = new Person { AnonymousGuest = new Person.Types.AnonymousGuest { Email = GuestEmail, DisplayName = GuestName } } });
        Session = (await Sessions.CreateSessionAsync(request)).Session;
        return this;
    }

    /// <summary>Opens the invitation link, gives the name and asks to join; the browser then shows the waiting view.</summary>
    public async Task AskToJoinAsync(IPage page, string? link = null)
    {
        await page.GotoAsync(link ?? InvitationLink);
        await page.GetByLabel("Your name, as the host will see it").FillAsync(GuestName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask to join" }).ClickAsync();
        await Navigation.ArrivesAtAsync(page, new Regex(Regex.Escape("/join/wait?")));
        await Expect(page.GetByText("Waiting for the host to let you in.")).ToBeVisibleAsync();
    }

    /// <summary>The guest's participant id, as the admitter sees it in the lobby.</summary>
    public async Task<string> WaitingGuestAsync()
    {
        var session = (await Sessions.GetSessionAsync(new GetSessionRequest { Name = Session.Name, View = SessionView.Full })).Session;
        return session.Participants.Single(p => p.Email == GuestEmail && p.State == Participant.Types.State.InLobby).Id;
    }

    public async Task AdmitAsync() =>
        await Sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = Session.Name, ParticipantId = await WaitingGuestAsync(), Actor = Organizer });

    public async Task DenyAsync() =>
        await Sessions.DenyParticipantAsync(new DenyParticipantRequest { Name = Session.Name, ParticipantId = await WaitingGuestAsync(), Actor = Organizer });

    public async Task RemoveAsync() =>
        await Sessions.RemoveParticipantAsync(new RemoveParticipantRequest { Name = Session.Name, ParticipantId = (await GuestAsync()).Id, Actor = Organizer });

    /// <summary>The guest as the organizer side sees it, in whatever state it is.</summary>
    public async Task<Participant> GuestAsync() =>
        (await Sessions.GetSessionAsync(new GetSessionRequest { Name = Session.Name, View = SessionView.Full })).Session.Participants.Single(p => p.Email == GuestEmail);

    /// <summary>
    /// Waits until the admitted guest's browser has followed the host's one redirect into the meeting and shows Teams'
    /// page for it (the browser resolves teams.microsoft.com to the emulator, which plays it), and answers that URL.
    /// </summary>
    public static async Task<string> InMeetingAsync(BrowserSession browser)
    {
        await Navigation.ArrivesAtAsync(browser.Page, $"https://{WebFixture.TeamsHost}/l/meetup-join/");
        await Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"You joined {Subject} as Guest");
        await Expect(browser.Page.GetByText("Opened in Teams desktop (emulated).")).ToBeVisibleAsync();
        return browser.Page.Url;
    }

    /// <summary>The whole way in: asks to join, is admitted by the organizer, and lands in the meeting, whose URL it answers.</summary>
    public async Task<string> EnterMeetingAsync(BrowserSession browser)
    {
        await AskToJoinAsync(browser.Page);
        await AdmitAsync();
        return await InMeetingAsync(browser);
    }

    /// <summary>The host's answers to the browser's <c>/join/enter</c> requests, as "{status} {location}".</summary>
    public static IReadOnlyList<string> EnterAnswers(BrowserSession browser) =>
        [.. browser.Documents.Where(d => new Uri(d.Url).AbsolutePath == "/join/enter")
            .Select(d => $"{d.Status} {(d.Headers.TryGetValue("location", out var l) ? l : string.Empty)}")];

    private Person Organizer => new() { TenantUser = new Person.Types.TenantUser { UserId = Technician } };
}
