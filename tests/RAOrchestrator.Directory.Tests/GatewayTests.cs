using RAOrchestrator.Domain.Errors;
using RAOrchestrator.GraphEmulator;

namespace RAOrchestrator.Directory.Tests;

public sealed class EmulatorFixture : IAsyncLifetime
{
    public GraphEmulatorServer Emulator { get; private set; } = null!;

    public async Task InitializeAsync() => Emulator = await Gateways.StartEmulatorAsync();

    public async Task DisposeAsync() => await Emulator.DisposeAsync();
}

public sealed class GatewayTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private GraphDirectoryGateway Gateway => Gateways.For(fixture.Emulator).Gateway;

    [Fact]
    public async Task A_tenant_with_consent_gets_a_token_and_its_organization()
    {
        var gateway = Gateway;
        await gateway.VerifyConsentAsync(Gateways.Customer);
        var organization = await gateway.GetOrganizationAsync(Gateways.Customer);
        Assert.Equal("Customer", organization.DisplayName);
        Assert.Contains(organization.Domains, d => d.Name == Gateways.Domain && d.IsDefault);
    }

    [Fact]
    public async Task A_tenant_without_consent_fails_with_a_consent_reason_and_the_remedy()
    {
        var ex = await Assert.ThrowsAsync<OrchestratorException>(() => Gateway.VerifyConsentAsync(Gateways.NoConsent));
        Assert.Equal(GraphErrors.ConsentMissing, ex.Reason);
        Assert.Equal(ErrorKind.FailedPrecondition, ex.Kind);
        Assert.Contains("adminconsent", ex.Message, StringComparison.Ordinal);

        var onGraph = await Assert.ThrowsAsync<OrchestratorException>(() => Gateway.GetOrganizationAsync(Gateways.NoConsent));
        Assert.Equal(GraphErrors.ConsentMissing, onGraph.Reason);
    }

    [Fact]
    public async Task A_tenant_entra_does_not_know_fails_with_its_own_reason()
    {
        var ex = await Assert.ThrowsAsync<OrchestratorException>(() => Gateway.VerifyConsentAsync("99999999-0000-4000-8000-000000000009"));
        Assert.Equal(GraphErrors.TenantUnknownToEntra, ex.Reason);
    }

    [Fact]
    public async Task The_licence_inventory_reads_enabled_and_consumed_seats()
    {
        var skus = await Gateway.GetLicenceInventoryAsync(Gateways.Customer);
        var remoteAssist = Assert.Single(skus, s => s.SkuId == Gateways.RemoteAssist);
        Assert.Equal("DYN365_REMOTE_ASSIST", remoteAssist.PartNumber);
        Assert.Equal(500, remoteAssist.Enabled);
        Assert.Equal(remoteAssist.Enabled - remoteAssist.Consumed, remoteAssist.Free);
    }

    [Fact]
    public async Task Ensure_user_creates_once_and_a_retry_returns_the_same_user()
    {
        var gateway = Gateway;
        var first = await gateway.EnsureUserAsync(Gateways.Customer, Gateways.NewUser("ensure-once"));
        var again = await gateway.EnsureUserAsync(Gateways.Customer, Gateways.NewUser("ensure-once"));

        Assert.Equal(first.Id, again.Id);
        var read = await gateway.FindUserAsync(Gateways.Customer, first.UserPrincipalName);
        Assert.Equal("Member", read!.UserType);
        Assert.Equal("OEM Ltd", read.Attributes["companyName"]);
        Assert.Single(fixture.Emulator.State.Tenants[Gateways.Customer].Users, u => (string?)u["userPrincipalName"] == $"ensure-once@{Gateways.Domain}");
    }

    [Fact]
    public async Task Forty_five_independent_user_creations_go_out_as_three_batches()
    {
        var counters = fixture.Emulator.State.Counters;
        var before = counters.ForTenant(Gateways.Customer);
        var (batchCalls, inner) = (before.BatchCalls, before.InnerBatchRequests);

        var users = await Gateway.EnsureUsersAsync(Gateways.Customer, Enumerable.Range(0, 45).Select(i => Gateways.NewUser($"batch-{i}")).ToArray());

        var after = counters.ForTenant(Gateways.Customer);
        Assert.Equal(45, users.Select(u => u.Id).Distinct().Count());
        Assert.Equal($"batch-17@{Gateways.Domain}", users[17].UserPrincipalName);
        Assert.Equal(3, after.BatchCalls - batchCalls);
        Assert.Equal(45, after.InnerBatchRequests - inner);
    }

    [Fact]
    public async Task A_batch_with_users_that_already_exist_returns_them_instead_of_failing()
    {
        var gateway = Gateway;
        var existing = await gateway.EnsureUserAsync(Gateways.Customer, Gateways.NewUser("batch-existing"));
        var users = await gateway.EnsureUsersAsync(Gateways.Customer, [Gateways.NewUser("batch-existing"), Gateways.NewUser("batch-new")]);
        Assert.Equal(existing.Id, users[0].Id);
        Assert.NotEqual(existing.Id, users[1].Id);
    }

    [Fact]
    public async Task Each_licence_failure_surfaces_as_its_own_domain_error()
    {
        var gateway = Gateway;
        var noLocation = await gateway.EnsureUserAsync(Gateways.Customer, Gateways.NewUser("no-location", usageLocation: null!));
        var located = await gateway.EnsureUserAsync(Gateways.Customer, Gateways.NewUser("licensed"));
        var other = await gateway.EnsureUserAsync(Gateways.Customer, Gateways.NewUser("second-e5"));

        var missingLocation = await Assert.ThrowsAsync<OrchestratorException>(() => gateway.AssignLicencesAsync(Gateways.Customer, noLocation.Id, [Gateways.RemoteAssist], []));
        Assert.Equal(GraphErrors.UsageLocationMissing, missingLocation.Reason);

        var unknownSku = await Assert.ThrowsAsync<OrchestratorException>(() => gateway.AssignLicencesAsync(Gateways.Customer, located.Id, [Guid.NewGuid()], []));
        Assert.Equal(GraphErrors.SkuNotFound, unknownSku.Reason);

        await gateway.AssignLicencesAsync(Gateways.Customer, located.Id, [Gateways.E5], []);
        var noSeats = await Assert.ThrowsAsync<OrchestratorException>(() => gateway.AssignLicencesAsync(Gateways.Customer, other.Id, [Gateways.E5], []));
        Assert.Equal(GraphErrors.NoSeatsAvailable, noSeats.Reason);
        Assert.Equal(ErrorKind.ResourceExhausted, noSeats.Kind);

        await gateway.AssignLicencesAsync(Gateways.Customer, located.Id, [Gateways.RemoteAssist], []);
        var conflict = await Assert.ThrowsAsync<OrchestratorException>(() => gateway.AssignLicencesAsync(Gateways.Customer, located.Id, [Gateways.Exclusive], []));
        Assert.Equal(GraphErrors.LicenceConflict, conflict.Reason);
    }

    [Fact]
    public async Task Assigning_a_licence_twice_consumes_one_seat()
    {
        var gateway = Gateway;
        var user = await gateway.EnsureUserAsync(Gateways.Customer, Gateways.NewUser("twice"));
        var before = (await gateway.GetLicenceInventoryAsync(Gateways.Customer)).Single(s => s.SkuId == Gateways.RemoteAssist).Consumed;

        await gateway.AssignLicencesAsync(Gateways.Customer, user.Id, [Gateways.RemoteAssist], []);
        var after = await gateway.AssignLicencesAsync(Gateways.Customer, user.Id, [Gateways.RemoteAssist], []);

        Assert.Contains(Gateways.RemoteAssist, after.AssignedSkus);
        Assert.Equal(before + 1, (await gateway.GetLicenceInventoryAsync(Gateways.Customer)).Single(s => s.SkuId == Gateways.RemoteAssist).Consumed);
    }

    [Theory]
    [InlineData(Domain.Sessions.LobbyScope.Everyone, "everyone")]
    [InlineData(Domain.Sessions.LobbyScope.Invited, "invited")]
    [InlineData(Domain.Sessions.LobbyScope.Organizer, "organizer")]
    public async Task A_scheduled_meeting_emails_each_attendee_and_gets_its_lobby_setting(Domain.Sessions.LobbyScope scope, string expected)
    {
        var key = $"meeting-{Guid.NewGuid():N}";
        var meeting = await Gateway.CreateMeetingAsync(Gateways.Customer, Meeting(Gateways.OrganizerId, key, scope));

        Assert.StartsWith("https://", meeting.JoinUrl, StringComparison.Ordinal);
        var tenant = fixture.Emulator.State.Tenants[Gateways.Customer];
        var mail = Assert.Single(tenant.Outbox, m => m.EventId == meeting.EventId);
        Assert.Equal("erin@oem.example", mail.To);
        Assert.Null(mail.JoinUrl);
        Assert.Contains("https://join.example/" + key, mail.Body, StringComparison.Ordinal);
        var online = Assert.Single(tenant.OnlineMeetings, m => m.Id == meeting.OnlineMeetingId);
        Assert.Equal(meeting.JoinUrl, (string?)online.Body["joinWebUrl"]);
        Assert.Equal(expected, (string?)online.Body["lobbyBypassSettings"]!["scope"]);
        Assert.Equal(false, (bool?)online.Body["lobbyBypassSettings"]!["isDialInBypassEnabled"]);
    }

    [Fact]
    public async Task A_replacement_meeting_mails_nobody_and_a_deleted_one_is_gone_even_when_deleted_twice()
    {
        var tenant = fixture.Emulator.State.Tenants[Gateways.Customer];
        var mails = tenant.Outbox.Count;
        var key = $"replacement-{Guid.NewGuid():N}";

        var first = await Gateway.CreateOnlineMeetingAsync(Gateways.Customer, Meeting(Gateways.OrganizerId, key, Domain.Sessions.LobbyScope.Everyone));
        var retried = await Gateway.CreateOnlineMeetingAsync(Gateways.Customer, Meeting(Gateways.OrganizerId, key, Domain.Sessions.LobbyScope.Everyone));

        Assert.Equal((first.OnlineMeetingId, first.JoinUrl), (retried.OnlineMeetingId, retried.JoinUrl));
        Assert.Equal(mails, tenant.Outbox.Count);
        Assert.Equal("everyone", (string?)Assert.Single(tenant.OnlineMeetings, m => m.Id == first.OnlineMeetingId).Body["lobbyBypassSettings"]!["scope"]);

        await Gateway.DeleteMeetingAsync(Gateways.Customer, Gateways.OrganizerId, first.OnlineMeetingId);
        await Gateway.DeleteMeetingAsync(Gateways.Customer, Gateways.OrganizerId, first.OnlineMeetingId);

        Assert.DoesNotContain(tenant.OnlineMeetings, m => m.Id == first.OnlineMeetingId);
    }

    [Fact]
    public async Task Scheduling_the_same_meeting_again_makes_nothing_twice_and_mails_nobody_twice()
    {
        var key = $"meeting-{Guid.NewGuid():N}";
        var first = await Gateway.CreateMeetingAsync(Gateways.Customer, Meeting(Gateways.OrganizerId, key, Domain.Sessions.LobbyScope.Everyone));
        var again = await Gateway.CreateMeetingAsync(Gateways.Customer, Meeting(Gateways.OrganizerId, key, Domain.Sessions.LobbyScope.Everyone));

        Assert.Equal(first, again);
        var tenant = fixture.Emulator.State.Tenants[Gateways.Customer];
        Assert.Single(tenant.OnlineMeetings, m => (string?)m.Body["externalId"] == key);
        Assert.Single(tenant.Events, e => (string?)e.Body["transactionId"] == key);
        Assert.Single(tenant.Outbox, m => m.EventId == first.EventId);
    }

    [Fact]
    public async Task A_meeting_in_a_tenant_without_an_application_access_policy_says_so()
    {
        var ex = await Assert.ThrowsAsync<OrchestratorException>(() => Gateway.CreateMeetingAsync(Gateways.NoPolicy,
            Meeting(Gateways.NoPolicyOrganizerId, "no-policy", Domain.Sessions.LobbyScope.Organizer)));
        Assert.Equal(GraphErrors.AppAccessPolicyMissing, ex.Reason);
        Assert.Contains("Grant-CsApplicationAccessPolicy", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_is_read_by_object_id_and_a_missing_one_is_null()
    {
        var user = await Gateway.GetUserAsync(Gateways.Customer, Gateways.OrganizerId);
        Assert.Equal(Gateways.OrganizerId, user!.Id);
        Assert.Null(await Gateway.GetUserAsync(Gateways.Customer, Guid.NewGuid().ToString()));
    }

    private static Domain.Directory.MeetingRequest Meeting(string organizer, string key, Domain.Sessions.LobbyScope scope) => new(
        organizer, "Pump P-17 alignment", DateTimeOffset.UtcNow.AddHours(1), DateTimeOffset.UtcNow.AddHours(2), ["erin@oem.example"], scope, false,
        key, $"<p>Join: <a href=\"https://join.example/{key}\">https://join.example/{key}</a></p>");

    [Fact]
    public async Task The_application_access_policy_probe_tells_granted_from_missing()
    {
        Assert.True(await Gateway.ProbeApplicationAccessPolicyAsync(Gateways.Customer));
        Assert.False(await Gateway.ProbeApplicationAccessPolicyAsync(Gateways.NoPolicy));
    }

    [Fact]
    public async Task Every_graph_request_is_a_child_span_of_the_gateway_operation()
    {
        var stopped = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name is GraphTelemetry.Name or "System.Net.Http",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        await Gateway.GetLicenceInventoryAsync(Gateways.Customer);

        var operation = Assert.Single(stopped, a => a.OperationName == "graph.get_licence_inventory");
        Assert.Equal(Gateways.Customer, operation.GetTagItem("raorchestrator.tenant"));
        Assert.Contains(stopped, a => a.Source.Name == "System.Net.Http" && a.ParentSpanId == operation.SpanId && a.TraceId == operation.TraceId);
    }

    [Fact]
    public async Task Listing_users_reads_the_attributes_barrier_segments_use()
    {
        var gateway = Gateway;
        await gateway.EnsureUserAsync(Gateways.Customer, Gateways.NewUser("listed"));
        var users = new List<Domain.Directory.DirectoryUser>();
        await foreach (var user in gateway.ListUsersAsync(Gateways.Customer))
        {
            users.Add(user);
        }

        var listed = Assert.Single(users, u => u.UserPrincipalName == $"listed@{Gateways.Domain}");
        Assert.Equal("Vendors", listed.Attributes["department"]);
        Assert.Equal(users.Count, users.Select(u => u.Id).Distinct().Count());
    }
}
