using Grpc.Core;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.Server.Tests.Infrastructure;

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
            await using var first = await ServerProcess.StartAsync(settings, api, fixture.Emulator);
            var created = await first.Tenants(fixture.Tokens.Writer(partner)).CreateTenantAsync(ReadyTenants.Create(tenantId));
            operationName = created.Operation.Name;

            // Wait until the workflow has written the results of its first Graph steps (at 600 ms a read, the checks
            // outlast the 2 s between the writes of a run), then pull the plug.
            var operations = first.Operations(fixture.Tokens.Reader(partner));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await operations.GetOperationAsync(new GetOperationRequest { Name = operationName })).Operation.Steps
                   .Count(s => s.State == OperationStep.Types.State.Succeeded) < 4)
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

        await using var second = await ServerProcess.StartAsync(settings, api, fixture.Emulator);
        var tenants = second.Tenants(fixture.Tokens.Reader(partner));
        var tenant = (await tenants.GetTenantAsync(new GetTenantRequest { Name = "tenants/" + tenantId })).Tenant;
        var updates = await second.Operations(fixture.Tokens.Reader(partner)).WatchToEndAsync(operationName);

        Assert.Equal(Operation.Types.State.Succeeded, updates[^1].State);
        tenant = (await tenants.GetTenantAsync(new GetTenantRequest { Name = tenant.Name })).Tenant;
        Assert.Equal(Tenant.Types.State.Active, tenant.State);
        Assert.Single((await tenants.ListTenantsAsync(new ListTenantsRequest())).Tenants);

        // The organization had been read, and its result written, before the kill; the resumed workflow does not read it again.
        var after = emulator.State.Counters.ForTenant(tenantId);
        Assert.Equal(1, organizationReadsBefore);
        Assert.Equal(organizationReadsBefore, after.Endpoints.Where(e => e.Key.Contains("organization", StringComparison.OrdinalIgnoreCase)).Sum(e => e.Value.Requests));
    }

    [Fact]
    public async Task A_host_killed_between_seat_reservation_and_licence_assignment_completes_the_account_exactly_once()
    {
        var emulator = fixture.Emulator;
        var serviceId = "crash-sa-" + Guid.NewGuid().ToString("N")[..8];
        var (api, management, silo, gateway) = (FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next());
        var settings = ServerInstance.Settings(fixture.Azurite, emulator, fixture.Tokens, serviceId, api, management, silo, gateway);
        var partner = TestIds.NewPartner();
        var tenantId = await ReadyTenants.AddAsync(emulator);
        var upn = $"crash-vendor@t{tenantId[..8]}.example";
        string accountName;

        await using (var first = await ServerProcess.StartAsync(settings, api, fixture.Emulator))
        {
            var created = await first.Tenants(fixture.Tokens.Writer(partner)).CreateTenantAsync(ReadyTenants.Create(tenantId));
            await first.Operations(fixture.Tokens.Reader(partner)).WatchToEndAsync(created.Operation.Name);
            var accounts = first.ServiceAccounts(fixture.Tokens.Writer(partner));

            emulator.State.Faults.Settings = new FaultSettings { LatencyMs = 1500 };
            var batchesBefore = emulator.State.Arrivals.GetValueOrDefault("POST /$batch");
            try
            {
                var call = accounts.CreateServiceAccountAsync(new CreateServiceAccountRequest
                {
                    RequestId = TestIds.NewRequestId(),
                    Parent = created.Tenant.Name,
                    ServiceAccountId = "crash-vendor",
                    ServiceAccount = new ServiceAccount { DisplayName = "Crash vendor", UserPrincipalName = upn, UsageLocation = "DE" },
                });
                accountName = $"{created.Tenant.Name}/serviceAccounts/crash-vendor";

                // The saga's create-and-assign batch arriving at Graph means the reservation is written: pull the plug
                // while the batch is still in flight (held by the emulator's latency), before it is answered.
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (emulator.State.Arrivals.GetValueOrDefault("POST /$batch") <= batchesBefore)
                {
                    Assert.True(DateTime.UtcNow < deadline, "the saga never reached licence assignment");
                    await Task.Delay(20);
                }

                await first.KillAsync();
                await Assert.ThrowsAnyAsync<RpcException>(async () => await call);
            }
            finally
            {
                emulator.State.Faults.Settings = new FaultSettings();
            }
        }

        await using var second = await ServerProcess.StartAsync(settings, api, fixture.Emulator);
        var resumed = second.ServiceAccounts(fixture.Tokens.Reader(partner));
        var account = (await resumed.GetServiceAccountAsync(new GetServiceAccountRequest { Name = accountName })).ServiceAccount;
        var until = DateTime.UtcNow.AddSeconds(60);
        while (account.State == ServiceAccount.Types.State.Provisioning)
        {
            Assert.True(DateTime.UtcNow < until, "the account never finished provisioning after the restart");
            await Task.Delay(200);
            account = (await resumed.GetServiceAccountAsync(new GetServiceAccountRequest { Name = accountName })).ServiceAccount;
        }

        Assert.Equal(ServiceAccount.Types.State.Active, account.State);
        var tenant = emulator.State.Tenants[tenantId];
        Assert.Single(tenant.Users, u => (string?)u["userPrincipalName"] == upn);
        Assert.Equal(1, tenant.ConsumedUnits(TestEmulator.RemoteAssistSku));
        var summary = await resumed.GetLicenseSummaryAsync(new GetLicenseSummaryRequest { Parent = "tenants/" + tenantId, Refresh = true });
        var remoteAssist = summary.Skus.Single(s => s.SkuId == TestEmulator.RemoteAssistSku.ToString());
        Assert.Equal((1, 0, 49), (remoteAssist.Consumed, remoteAssist.Reserved, remoteAssist.Available));
    }
}
