using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.GraphEmulator.Graph;
using RAOrchestrator.Testing;
using Activity = RAOrchestrator.Contracts.V1.CheckBarrierRequest.Types.Activity;

namespace RAOrchestrator.Telemetry.Tests.Infrastructure;

/// <summary>What the scenario did, for the assertions: names to find in spans and attributes to find on metrics.</summary>
public sealed record ScenarioFacts(string TenantName, string ServiceAccountName, string MissingTenantName, Uri GraphAddress);

/// <summary>
/// A day of an operator's cluster in half a minute, through the public API: onboard a tenant, provision a vendor
/// account, run a session whose lobby admits one guest and denies another, define and apply barriers and be denied
/// by them, ask for something that does not exist, and push a tenant into Graph throttling.
/// </summary>
public static class OperatorScenario
{
    public static async Task<ScenarioFacts> RunAsync(GrpcChannel channel, GraphEmulatorServer emulator, string token)
    {
        var invoker = channel.Intercept(metadata =>
        {
            metadata.Add("authorization", "Bearer " + token);
            return metadata;
        }).Intercept(new AutoApproval(emulator));
        var tenants = new TenantService.TenantServiceClient(invoker);
        var operations = new OperationService.OperationServiceClient(invoker);
        var accounts = new ServiceAccountService.ServiceAccountServiceClient(invoker);
        var barriers = new BarrierService.BarrierServiceClient(invoker);
        var sessions = new SessionService.SessionServiceClient(invoker);

        var tenantId = Guid.NewGuid().ToString();
        var domain = $"t{tenantId[..8]}.example";
        await TestEmulator.AddTenantAsync(emulator, tenantId, domain: domain);
        var vendor = AddUser(emulator, tenantId, domain, "vendor", ("companyName", "OEM Ltd"));
        var controller = AddUser(emulator, tenantId, domain, "finance", ("department", "Finance"));

        var created = await tenants.CreateTenantAsync(new CreateTenantRequest
        {
            TenantId = tenantId,
            Tenant = new Tenant
            {
                DisplayName = "Telemetry Ltd",
                MeetingSettings = new MeetingSettings
                {
                    AnonymousJoin = MeetingSettings.Types.Switch.On,
                    OrganizerAnonymousJoin = MeetingSettings.Types.Switch.On,
                    AutoAdmittedUsers = MeetingSettings.Types.AutoAdmittedUsers.EveryoneInCompany,
                    LobbyBypass = MeetingSettings.Types.LobbyBypass.Organizer,
                },
            },
        });
        await WatchToEndAsync(operations, created.Operation.Name);
        var tenant = created.Tenant.Name;

        var account = await accounts.CreateServiceAccountAsync(new CreateServiceAccountRequest
        {
            Parent = tenant,
            ServiceAccountId = "oem-expert",
            ServiceAccount = new ServiceAccount { DisplayName = "OEM expert", UserPrincipalName = $"oem-expert@{domain}", UsageLocation = "DE" },
        });

        var technician = await AddLicensedTechnicianAsync(emulator, tenantId, domain);
        await RunSessionAsync(sessions, tenant, technician);

        await DefineBarriersAsync(barriers, tenant);
        var applied = await barriers.ApplyBarrierPoliciesAsync(new ApplyBarrierPoliciesRequest { Parent = tenant, RequestId = Guid.NewGuid().ToString() });
        await WatchToEndAsync(operations, applied.Operation.Name);
        await barriers.CheckBarrierAsync(new CheckBarrierRequest { Parent = tenant, UserA = vendor, UserB = controller, Activity = Activity.InviteToMeeting });
        await barriers.CheckBarrierAsync(new CheckBarrierRequest { Parent = tenant, UserA = controller, UserB = vendor, Activity = Activity.Call });

        var missing = $"tenants/{Guid.NewGuid()}";
        try
        {
            await tenants.GetTenantAsync(new GetTenantRequest { Name = missing });
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            // Expected: the error is what the RPC metric should show.
        }

        await ThrottleAsync(emulator, accounts, tenant, tenantId);
        return new ScenarioFacts(tenant, account.ServiceAccount.Name, missing, emulator.BaseAddress);
    }

    /// <summary>
    /// Shrinks the emulated tenant budget to 7 units per 3 s: each licence read costs 3, so the second is answered at
    /// 80 % of the limit (x-ms-throttle-limit-percentage) and the third with 429 and Retry-After, which the gateway honours.
    /// </summary>
    private static async Task ThrottleAsync(GraphEmulatorServer emulator, ServiceAccountService.ServiceAccountServiceClient accounts, string tenant, string tenantId)
    {
        var normal = emulator.State.Throttler.Settings;
        emulator.State.Throttler.Settings = new ThrottlingSettings { BudgetOverride = 7, WindowSeconds = 3 };
        try
        {
            for (var attempt = 0; attempt < 10 && emulator.State.Counters.ForTenant(tenantId).Throttled == 0; attempt++)
            {
                await accounts.GetLicenseSummaryAsync(new GetLicenseSummaryRequest { Parent = tenant, Refresh = true });
            }
        }
        finally
        {
            emulator.State.Throttler.Settings = normal;
        }

        if (emulator.State.Counters.ForTenant(tenantId).Throttled == 0)
        {
            throw new InvalidOperationException("The emulator never answered 429: the throttling part of the scenario did not happen.");
        }
    }

    /// <summary>A session that stays active: the organizer joins, one guest is admitted from the lobby, another denied.</summary>
    private static async Task RunSessionAsync(SessionService.SessionServiceClient sessions, string tenant, string technician)
    {
        Person Guest(string email) => new() { AnonymousGuest = new Person.Types.AnonymousGuest { Email = email, DisplayName = email } };
        var organizer = new Person { TenantUser = new Person.Types.TenantUser { UserId = technician } };
        var request = new CreateSessionRequest
        {
            Parent = tenant,
            SessionId = "pump-p17",
            Session = new Session
            {
                Organizer = organizer,
                Subject = "Pump P-17 alignment",
                StartTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(5)),
                EndTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(1)),
                Invitations = { new Invitation { Person = Guest("erin@oem.example") }, new Invitation { Person = Guest("mallory@elsewhere.example") } },
            },
        };
        var session = (await sessions.CreateSessionAsync(request)).Session.Name;

        var erin = await sessions.JoinSessionAsync(new JoinSessionRequest { Name = session, Person = Guest("erin@oem.example"), Client = ClientKind.TeamsDesktop });
        var mallory = await sessions.JoinSessionAsync(new JoinSessionRequest { Name = session, Person = Guest("mallory@elsewhere.example"), Client = ClientKind.TeamsDesktop });
        await sessions.JoinSessionAsync(new JoinSessionRequest { Name = session, Person = organizer, Client = ClientKind.RemoteAssistHololens });
        await sessions.AdmitParticipantAsync(new AdmitParticipantRequest { Name = session, ParticipantId = erin.Participant.Id, Actor = organizer });
        await sessions.DenyParticipantAsync(new DenyParticipantRequest { Name = session, ParticipantId = mallory.Participant.Id, Actor = organizer });
    }

    private static async Task<string> AddLicensedTechnicianAsync(GraphEmulatorServer emulator, string tenantId, string domain)
    {
        var id = Guid.NewGuid().ToString();
        var user = new JsonObject
        {
            ["id"] = id,
            ["displayName"] = "Hanna Technician",
            ["userPrincipalName"] = $"hololens-tech@{domain}",
            ["mailNickname"] = "hololens-tech",
            ["mail"] = $"hololens-tech@{domain}",
            ["usageLocation"] = "US",
            ["accountEnabled"] = true,
            ["userType"] = "Member",
            ["department"] = "Field-Technicians",
            ["assignedLicenses"] = new JsonArray(new JsonObject { ["skuId"] = TestEmulator.RemoteAssistSku.ToString(), ["disabledPlans"] = new JsonArray() }),
        };
        using var admin = emulator.CreateHttpClient();
        (await admin.PostAsJsonAsync($"_emulator/tenants/{tenantId}/users", user)).EnsureSuccessStatusCode();
        return id;
    }

    private static async Task DefineBarriersAsync(BarrierService.BarrierServiceClient barriers, string tenant)
    {
        foreach (var (id, filter) in new[] { ("Vendors-OEM", "Company -eq 'OEM Ltd'"), ("Finance", "Department -eq 'Finance'") })
        {
            await barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = tenant, SegmentId = id, Segment = new Segment { UserGroupFilter = filter } });
        }

        await barriers.CreateBarrierPolicyAsync(new CreateBarrierPolicyRequest
        {
            Parent = tenant,
            BarrierPolicyId = "finance-blocks-vendors",
            BarrierPolicy = new BarrierPolicy { AssignedSegment = "Finance", Kind = BarrierPolicy.Types.Kind.Block, Segments = { "Vendors-OEM" }, State = BarrierPolicy.Types.State.Active },
        });
    }

    private static async Task WatchToEndAsync(OperationService.OperationServiceClient operations, string name)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = operations.WatchOperation(new WatchOperationRequest { Name = name }, cancellationToken: timeout.Token);
        Operation? last = null;
        await foreach (var update in call.ResponseStream.ReadAllAsync(timeout.Token))
        {
            last = update.Operation;
        }

        if (last?.State != Operation.Types.State.Succeeded)
        {
            throw new InvalidOperationException($"{name} ended {last?.State}: {last}");
        }
    }

    private static string AddUser(GraphEmulatorServer emulator, string tenantId, string domain, string nickname, params (string Name, string Value)[] attributes)
    {
        var id = Guid.NewGuid().ToString();
        var user = new JsonObject { ["id"] = id, ["displayName"] = nickname, ["userPrincipalName"] = $"{nickname}@{domain}", ["mailNickname"] = nickname };
        foreach (var (name, value) in attributes)
        {
            user[name] = value;
        }

        UserModel.Normalize(user);
        lock (emulator.State.Sync)
        {
            emulator.State.Tenants[tenantId].Users.Add(user);
        }

        return id;
    }
}
