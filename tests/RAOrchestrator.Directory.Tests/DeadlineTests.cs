using RAOrchestrator.Domain.Errors;
using RAOrchestrator.GraphEmulator;

namespace RAOrchestrator.Directory.Tests;

/// <summary>Graph requests have deadlines: a server that never answers costs an attempt's timeout, never a hung caller.</summary>
public sealed class DeadlineTests
{
    [Fact]
    public async Task A_request_Graph_never_answers_fails_unavailable_timeout_after_retrying_and_goes_through_once_Graph_answers()
    {
        await using var emulator = await Gateways.StartEmulatorAsync(faults: new FaultSettings { HangRate = 1, Endpoints = ["GET /organization"] });
        var (gateway, _, _) = Gateways.For(emulator, configure: o =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(500);
            o.RequestTimeout = TimeSpan.FromSeconds(3);
        });

        // Without deadlines this call waits for ever; the guard turns a hang into a failure of the test.
        var error = await Assert.ThrowsAsync<OrchestratorException>(() => gateway.GetOrganizationAsync(Gateways.Customer).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal((ErrorKind.Unavailable, Reasons.Timeout), (error.Kind, error.Reason));
        Assert.True(emulator.State.Arrivals.GetValueOrDefault("GET /organization") >= 2, "a silent attempt is given up and tried again");
        emulator.State.Faults.Settings = new FaultSettings();
        var organization = await gateway.GetOrganizationAsync(Gateways.Customer);
        Assert.Equal(Gateways.Customer, organization.TenantId);
    }

    [Fact]
    public async Task A_token_request_Entra_never_answers_fails_unavailable_timeout_and_goes_through_once_Entra_answers()
    {
        await using var emulator = await Gateways.StartEmulatorAsync(faults: new FaultSettings { HangRate = 1, Endpoints = ["POST /oauth2/v2.0/token"] });
        var (gateway, _, _) = Gateways.For(emulator, configure: o =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(500);
            o.RequestTimeout = TimeSpan.FromSeconds(3);
        });

        // Without a deadline on the token request this call waits for ever; the guard turns a hang into a failure of the test.
        var error = await Assert.ThrowsAsync<OrchestratorException>(() => gateway.GetOrganizationAsync(Gateways.Customer).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal((ErrorKind.Unavailable, Reasons.Timeout), (error.Kind, error.Reason));
        emulator.State.Faults.Settings = new FaultSettings();
        var organization = await gateway.GetOrganizationAsync(Gateways.Customer);
        Assert.Equal(Gateways.Customer, organization.TenantId);
    }
}
