using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.Server.Tests.Infrastructure;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Server.Tests;

/// <summary>The host is a separate process here, killed with SIGKILL in the middle of a workflow.</summary>
[Collection(ServerCollection.Name)]
public sealed class CrashRecoveryTests(ServerFixture fixture)
{
    [Fact]
    public async Task An_onboarding_interrupted_by_a_killed_host_finishes_once_after_a_restart()
    {
        var emulator = fixture.Emulator;
        var serviceId = "crash-" + Guid.NewGuid().ToString("N")[..8];
        var (api, management, silo, gateway) = (FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next());
        var settings = ServerInstance.Settings(fixture.Azurite, emulator, fixture.Tokens, serviceId, api, management, silo, gateway);
        var partner = TestIds.NewPartner();
        var tenantId = await ReadyTenants.AddAsync(emulator);
        string operationName;

        emulator.State.Faults.Settings = new FaultSettings { LatencyMs = 600 };
        try
        {
            await using var first = await ServerProcess.StartAsync(settings, api);
            var created = await first.Tenants(fixture.Tokens.Writer(partner)).CreateTenantAsync(ReadyTenants.Create(tenantId));
            operationName = created.Operation.Name;

            // Wait until the workflow is inside its Graph steps, then pull the plug.
            var operations = first.Operations(fixture.Tokens.Reader(partner));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await operations.GetOperationAsync(new GetOperationRequest { Name = operationName })).Operation.Steps
                   .Count(s => s.State == OperationStep.Types.State.Succeeded) < 3)
            {
                Assert.True(DateTime.UtcNow < deadline, "the workflow never reached its Graph steps");
                await Task.Delay(50);
            }

            await first.KillAsync();
        }
        finally
        {
            emulator.State.Faults.Settings = new FaultSettings();
        }

        var interrupted = emulator.State.Counters.ForTenant(tenantId);
        var organizationReadsBefore = interrupted.Endpoints.Where(e => e.Key.Contains("organization", StringComparison.OrdinalIgnoreCase)).Sum(e => e.Value.Requests);

        await using var second = await ServerProcess.StartAsync(settings, api);
        var tenants = second.Tenants(fixture.Tokens.Reader(partner));
        var tenant = (await tenants.GetTenantAsync(new GetTenantRequest { Name = "tenants/" + tenantId })).Tenant;
        var updates = await second.Operations(fixture.Tokens.Reader(partner)).WatchToEndAsync(operationName);

        Assert.Equal(Operation.Types.State.Succeeded, updates[^1].State);
        tenant = (await tenants.GetTenantAsync(new GetTenantRequest { Name = tenant.Name })).Tenant;
        Assert.Equal(Tenant.Types.State.Active, tenant.State);
        Assert.Single((await tenants.ListTenantsAsync(new ListTenantsRequest())).Tenants);

        // The organization had been read before the kill; the resumed workflow does not read it again.
        var after = emulator.State.Counters.ForTenant(tenantId);
        Assert.Equal(1, organizationReadsBefore);
        Assert.Equal(organizationReadsBefore, after.Endpoints.Where(e => e.Key.Contains("organization", StringComparison.OrdinalIgnoreCase)).Sum(e => e.Value.Requests));
    }
}
