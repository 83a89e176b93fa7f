using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator;

namespace RAOrchestrator.Server.Tests.Infrastructure;

/// <summary>Onboarded tenants with people in them, and the session requests the session tests make.</summary>
/// <param name="host">The host to call; the fixture's shared one when null.</param>
public sealed class SessionWorld(ServerFixture fixture, string partner, ServerInstance? host = null)
{
    public string Partner { get; } = partner;

    private ServerInstance Server => host ?? fixture.Server;

    public SessionService.SessionServiceClient Sessions => new(Server.Invoker(fixture.Tokens.Writer(Partner)));

    public TenantService.TenantServiceClient Tenants => Server.Tenants(fixture.Tokens.Writer(Partner));

    public GraphEmulatorServer Emulator => fixture.Emulator;

    /// <summary>An ACTIVE tenant of this partner; its external access allows <paramref name="allowTenants"/>.</summary>
    public async Task<OnboardedTenant> TenantAsync(bool anonymousJoin = true, params string[] allowTenants)
    {
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var meetings = ReadyTenants.Confirmed;
        if (!anonymousJoin)
        {
            meetings.AnonymousJoin = MeetingSettings.Types.Switch.Off;
        }

        var create = ReadyTenants.Create(tenantId, meetings);
        create.Tenant.ExternalAccessAllowedTenants.AddRange(allowTenants);
        var created = await Tenants.CreateTenantAsync(create);
        await Server.Operations(fixture.Tokens.Reader(Partner)).WatchToEndAsync(created.Operation.Name);
        var tenant = new OnboardedTenant(created.Tenant.Name, tenantId, $"t{tenantId[..8]}.example");
        tenant.Technician = await AddUserAsync(tenant, "hololens-tech", "Hanna Technician", licensed: true, department: "Field-Technicians");
        return tenant;
    }

    /// <summary>A member user added straight to the emulator's directory, with a Remote Assist licence when asked.</summary>
    public Task<string> AddUserAsync(OnboardedTenant tenant, string alias, string displayName, bool licensed, string? department = null, string userType = "Member", string? company = null) =>
        TestEmulator.AddUserAsync(fixture.Emulator, tenant.TenantId, alias, displayName, licensed, department, userType, company);

    public static Person Member(string userId) => new() { TenantUser = new Person.Types.TenantUser { UserId = userId } };

    public static Person Federated(string tenantId, string userId) => new() { FederatedUser = new Person.Types.FederatedUser { TenantId = tenantId, UserId = userId } };

    public static Person Guest(string email, string name = "Erin Expert") => new() { AnonymousGuest = new Person.Types.AnonymousGuest { Email = email, DisplayName = name } };

    public static CreateSessionRequest Schedule(OnboardedTenant tenant, string organizerId, params Person[] invitees)
    {
        var request = new CreateSessionRequest
        {
            RequestId = TestIds.NewRequestId(),
            Parent = tenant.Name,
            SessionId = "s-" + Guid.NewGuid().ToString("N")[..12],
            Session = new Session
            {
                Organizer = Member(organizerId),
                Subject = "Pump P-17 alignment",
                StartTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(5)),
                EndTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(1)),
            },
        };
        request.Session.Invitations.AddRange(invitees.Select(p => new Invitation { Person = p }));
        return request;
    }

    /// <summary>Every event of a session's watch stream, from the first, until the stream ends (the session closed).</summary>
    public static async Task<List<SessionEvent>> WatchToEndAsync(SessionService.SessionServiceClient sessions, string name, long after = 0, CancellationToken cancellationToken = default)
    {
        var events = new List<SessionEvent>();
        using var call = sessions.WatchSession(new WatchSessionRequest { Name = name, AfterSequence = after }, cancellationToken: cancellationToken);
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            events.Add(response.Event);
        }

        return events;
    }
}

public sealed record OnboardedTenant(string Name, string TenantId, string Domain)
{
    /// <summary>A licensed Remote Assist user (the HoloLens technician), in segment department Field-Technicians.</summary>
    public string Technician { get; set; } = string.Empty;
}
