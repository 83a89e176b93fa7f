using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// A Graph that never answers cannot hang a workflow: on a host whose Graph deadlines are a second per attempt and
/// three per request, the step says UNAVAILABLE/TIMEOUT and keeps trying; once Graph answers, the workflow completes.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class GraphDeadlineTests(ServerFixture fixture)
{
    private readonly string _partner = TestIds.NewPartner();

    [Fact]
    public async Task An_onboarding_step_Graph_leaves_unanswered_reports_a_timeout_then_completes_once_Graph_answers()
    {
        await using var host = await ServerInstance.StartAsync(fixture.Azurite, fixture.Emulator, fixture.Tokens, "deadlines-" + Guid.NewGuid().ToString("N")[..8],
            new Dictionary<string, string?> { ["Graph:AttemptTimeout"] = "00:00:01", ["Graph:RequestTimeout"] = "00:00:03" });
        var operations = host.Operations(fixture.Tokens.Reader(_partner));
        string operationName;
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        fixture.Emulator.State.Faults.Settings = new FaultSettings { HangRate = 1, Endpoints = ["GET /organization"] };
        try
        {
            var created = await host.Tenants(fixture.Tokens.Writer(_partner)).CreateTenantAsync(ReadyTenants.Create(tenantId));
            operationName = created.Operation.Name;

            var interrupted = await Eventually(operations, operationName,
                o => o.Steps.Any(s => s.Id == "read-organization" && s.Message.StartsWith("UNAVAILABLE/TIMEOUT", StringComparison.Ordinal)));
            Assert.False(interrupted.Done);
            Assert.Equal(OperationStep.Types.State.Running, interrupted.Steps.Single(s => s.Id == "read-organization").State);
        }
        finally
        {
            fixture.Emulator.State.Faults.Settings = new FaultSettings();
        }

        var operation = (await operations.WatchToEndAsync(operationName))[^1];
        Assert.Equal(Operation.Types.State.Succeeded, operation.State);
        Assert.Equal(OperationStep.Types.State.Succeeded, operation.Steps.Single(s => s.Id == "read-organization").State);
        var tenant = (await host.Tenants(fixture.Tokens.Reader(_partner)).GetTenantAsync(new GetTenantRequest { Name = $"tenants/{tenantId}" })).Tenant;
        Assert.Equal(Tenant.Types.State.Active, tenant.State);
    }

    private static async Task<Operation> Eventually(OperationService.OperationServiceClient operations, string name, Func<Operation, bool> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var operation = (await operations.GetOperationAsync(new GetOperationRequest { Name = name })).Operation;
            if (condition(operation) || DateTime.UtcNow > until)
            {
                Assert.True(condition(operation), $"the operation never matched: {operation}");
                return operation;
            }

            await Task.Delay(200);
        }
    }
}
