using RAOrchestrator.Telemetry.Tests.Infrastructure;
using RAOrchestrator.Telemetry.Tests.Otlp;

namespace RAOrchestrator.Telemetry.Tests;

/// <summary>Each metric behind a dashboard panel, as it arrives over OTLP: its shape, unit and the attributes the panel uses.</summary>
[Collection(ExportedTelemetryCollection.Name)]
public sealed class MetricExportTests(ExportedTelemetryFixture fixture)
{
    private ReceivedTelemetry Received => fixture.Received;

    [Fact]
    public async Task Rpc_calls_are_measured_by_method_and_status()
    {
        var created = await Series("rpc.server.call.duration", ("rpc.method", "raorchestrator.v1.ServiceAccountService/CreateServiceAccount"), ("rpc.response.status_code", "OK"));
        var missing = await Series("rpc.server.call.duration", ("rpc.method", "raorchestrator.v1.TenantService/GetTenant"), ("rpc.response.status_code", "NOT_FOUND"));

        Assert.All([created, missing], p => Assert.Equal((MetricShape.Histogram, "s", "grpc"), (p.Shape, p.Unit, p.Attributes["rpc.system.name"])));
        Assert.Equal(1, created.Value);
        Assert.Equal(1, missing.Value);
    }

    [Fact]
    public async Task Onboarding_operations_are_counted_by_kind_and_final_state_with_their_duration()
    {
        var started = await Series("raorchestrator.operations.started", ("operation.kind", "OnboardTenant"));
        var succeeded = await Series("raorchestrator.operations.completed", ("operation.kind", "OnboardTenant"), ("operation.state", "Succeeded"));
        var duration = await Series("raorchestrator.operations.duration", ("operation.kind", "OnboardTenant"), ("operation.state", "Succeeded"));

        Assert.Equal((MetricShape.MonotonicSum, 1d), (started.Shape, started.Value));
        Assert.Equal((MetricShape.MonotonicSum, 1d), (succeeded.Shape, succeeded.Value));
        Assert.Equal((MetricShape.Histogram, "s", 1d), (duration.Shape, duration.Unit, duration.Value));
    }

    [Fact]
    public async Task Active_sessions_lobby_decisions_and_the_lobby_wait_are_exported()
    {
        var active = await Series("raorchestrator.sessions.active");
        await Series("raorchestrator.lobby.decisions", ("lobby.decision", "admitted"));
        var admitted = Received.Latest("raorchestrator.lobby.decisions").Where(p => p.Attributes["lobby.decision"] == "admitted").ToArray();
        var denied = await Series("raorchestrator.lobby.decisions", ("lobby.decision", "denied"));
        var waited = await Series("raorchestrator.lobby.wait", ("lobby.decision", "admitted"));

        Assert.Equal((MetricShape.Gauge, 1d), (active.Shape, active.Value));
        Assert.All(admitted, a => Assert.Equal(MetricShape.MonotonicSum, a.Shape));
        Assert.Equal(2, admitted.Sum(a => a.Value)); // the organizer (joining) and the guest (from the lobby), each by its reason
        Assert.True(denied.Attributes.ContainsKey("lobby.reason"));
        Assert.Equal(1, denied.Value);
        Assert.Equal((MetricShape.Histogram, "s"), (waited.Shape, waited.Unit));
        Assert.True(waited.Value >= 1);
    }

    [Fact]
    public async Task Barrier_denials_are_counted_by_activity_and_reason()
    {
        var invite = await Series("raorchestrator.barrier.denials", ("barrier.activity", "InviteToMeeting"), ("barrier.reason", "BlockedByPolicy"));
        var call = await Series("raorchestrator.barrier.denials", ("barrier.activity", "Call"));

        Assert.Equal((MetricShape.MonotonicSum, 1d), (invite.Shape, invite.Value));
        Assert.Equal(1, call.Value);
    }

    [Fact]
    public async Task Seat_reservations_and_seats_held_and_free_are_exported_by_sku()
    {
        var reserved = await Series("raorchestrator.seats.reservations", ("seats.outcome", "reserved"));
        var confirmed = await Series("raorchestrator.seats.reservations", ("seats.outcome", "confirmed"));
        var free = await Series("raorchestrator.seats.available", ("licence.sku", "DYN365_REMOTE_ASSIST"));
        var held = await Series("raorchestrator.seats.reserved", ("licence.sku", "DYN365_REMOTE_ASSIST"));

        Assert.Equal((MetricShape.MonotonicSum, 1d, 1d), (reserved.Shape, reserved.Value, confirmed.Value));
        Assert.Equal((MetricShape.Gauge, MetricShape.Gauge), (free.Shape, held.Shape));

        // 50 seats, the technician's and the vendor account's taken: 48 free whether or not Graph's count already
        // includes the account's assignment (the ledger holds its seat until an inventory read does).
        Assert.Equal(48, free.Value);
        Assert.Equal(50, (await Series("raorchestrator.seats.available", ("licence.sku", "SPE_E5"))).Value);
    }

    [Fact]
    public async Task Graph_requests_throttling_and_the_limit_percentage_are_exported()
    {
        var ok = await Series("raorchestrator.graph.requests", ("http.request.method", "GET"), ("outcome", "2xx"));
        var tooMany = await Series("raorchestrator.graph.requests", ("outcome", "429"));
        var throttled = await Series("raorchestrator.graph.throttled");
        var percentage = await Series("raorchestrator.graph.throttle_limit_percentage");

        Assert.Equal(MetricShape.MonotonicSum, ok.Shape);
        Assert.True(tooMany.Value >= 1 && throttled.Value >= 1, $"429s counted: {tooMany.Value} attempts, {throttled.Value} responses");
        Assert.Equal((MetricShape.Histogram, "1"), (percentage.Shape, percentage.Unit));
        Assert.True(percentage.Value >= 1);
    }

    [Fact]
    public async Task Orleans_activations_and_silo_health_are_exported()
    {
        var accounts = await Series("orleans-grains", ("grain_type", "serviceaccount"));
        var activations = await Series("orleans-catalog-activations");
        var ring = await Series("orleans-consistent-ring-size");
        var checks = await Series("orleans-watchdog-health-checks");

        Assert.Equal((MetricShape.NonMonotonicSum, 1d), (accounts.Shape, accounts.Value));
        Assert.Equal(MetricShape.Gauge, activations.Shape);
        Assert.Equal((MetricShape.Gauge, 1d), (ring.Shape, ring.Value));
        Assert.Equal(MetricShape.MonotonicSum, checks.Shape);
    }

    /// <summary>The latest point of the series with these attributes (among others), once it has arrived.</summary>
    private Task<ReceivedPoint> Series(string metric, params (string Key, string Value)[] attributes) =>
        Received.WaitForAsync($"{metric} with {string.Join(", ", attributes.Select(a => $"{a.Key}={a.Value}"))}", received =>
            received.Latest(metric).LastOrDefault(p => attributes.All(a => p.Attributes.GetValueOrDefault(a.Key) == a.Value)));
}
