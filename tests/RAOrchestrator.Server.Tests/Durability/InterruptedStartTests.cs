using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using RAOrchestrator.Abstractions.Operations;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// A workflow is stored first and its operation recorded next. A crash between the two leaves a workflow without an
/// operation: the reactivated grain runs it, and the request retried with the same id must still find an operation
/// that tells how it ended (it answered NOT_FOUND, which bulk onboarding reported as a failed tenant during silo kills).
/// The crash is the operation's first start failing, then the caller's activation being dropped.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class InterruptedStartTests(ServerFixture fixture)
{
    [Fact]
    public async Task An_onboarding_whose_operation_was_never_recorded_records_it_when_it_resumes_and_the_retry_finds_it_succeeded()
    {
        var fault = new FirstStartFails(OperationKind.OnboardTenant);
        await using var server = await StartAsync(fault);
        var partner = TestIds.NewPartner();
        var tenants = server.Tenants(fixture.Tokens.Writer(partner));
        var request = ReadyTenants.Create(await ReadyTenants.AddAsync(fixture.Emulator));

        await Assert.ThrowsAsync<RpcException>(async () => await tenants.CreateTenantAsync(request));
        Assert.True(fault.Failed);
        await DropActivationAsync<Abstractions.Tenants.ITenantGrain>(server, $"tenants/{request.TenantId}");

        // Reactivated by a read, the tenant resumes its workflow: it records the operation and finishes onboarding.
        await tenants.GetTenantAsync(new GetTenantRequest { Name = $"tenants/{request.TenantId}" });
        var resumed = await FinishedOperationAsync(server, partner, except: []);
        Assert.Equal(Operation.Types.State.Succeeded, resumed.State);
        Assert.Equal(Tenant.Types.State.Active, (await tenants.GetTenantAsync(new GetTenantRequest { Name = $"tenants/{request.TenantId}" })).Tenant.State);

        var retried = await tenants.CreateTenantAsync(request);
        Assert.Equal(resumed.Name, retried.Operation.Name);
        Assert.True(retried.Operation.Done);
    }

    [Fact]
    public async Task A_barrier_apply_whose_operation_was_never_recorded_records_it_when_it_resumes_and_the_retry_finds_it_succeeded()
    {
        var fault = new FirstStartFails(OperationKind.ApplyBarrierPolicies);
        await using var server = await StartAsync(fault);
        var partner = TestIds.NewPartner();
        var tenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        var created = await server.Tenants(fixture.Tokens.Writer(partner)).CreateTenantAsync(ReadyTenants.Create(tenantId));
        var operations = server.Operations(fixture.Tokens.Reader(partner));
        await operations.WatchToEndAsync(created.Operation.Name);
        var barriers = new BarrierService.BarrierServiceClient(server.Invoker(fixture.Tokens.Writer(partner)));
        await barriers.CreateSegmentAsync(new CreateSegmentRequest { Parent = created.Tenant.Name, SegmentId = "vendors", Segment = new Segment { UserGroupFilter = "Company -eq 'OEM Ltd'" } });
        var apply = new ApplyBarrierPoliciesRequest { Parent = created.Tenant.Name, RequestId = TestIds.NewRequestId() };

        await Assert.ThrowsAsync<RpcException>(async () => await barriers.ApplyBarrierPoliciesAsync(apply));
        Assert.True(fault.Failed);
        await DropActivationAsync<Abstractions.Barriers.IBarrierGrain>(server, $"{created.Tenant.Name}/barriers");

        // Reactivated by a read, the barrier configuration resumes its apply: it records the operation and publishes.
        await barriers.ListSegmentsAsync(new ListSegmentsRequest { Parent = created.Tenant.Name });
        var resumed = await FinishedOperationAsync(server, partner, except: [created.Operation.Name]);
        Assert.Equal(Operation.Types.State.Succeeded, resumed.State);

        var retried = await barriers.ApplyBarrierPoliciesAsync(apply);
        Assert.Equal(resumed.Name, retried.Operation.Name);
        Assert.True(retried.Operation.Done);
    }

    private async Task<ServerInstance> StartAsync(FirstStartFails fault) =>
        await ServerInstance.StartAsync(fixture.Azurite, fixture.Emulator, fixture.Tokens, "interrupted-" + Guid.NewGuid().ToString("N")[..8],
            configure: builder => builder.Services.AddSingleton<IIncomingGrainCallFilter>(fault));

    private static async Task DropActivationAsync<TGrain>(ServerInstance server, string key)
        where TGrain : IGrainWithStringKey
    {
        var grain = server.Services.GetRequiredService<IGrainFactory>().GetGrain<TGrain>(key);
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
    }

    /// <summary>The partner's one listed operation not in <paramref name="except"/>, once it is done.</summary>
    private async Task<Operation> FinishedOperationAsync(ServerInstance server, string partner, string[] except)
    {
        var operations = server.Operations(fixture.Tokens.Reader(partner));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var listed = (await operations.ListOperationsAsync(new ListOperationsRequest { PageSize = 100 })).Operations.Where(o => !except.Contains(o.Name)).ToArray();
            if (listed is [{ Done: true } done])
            {
                return done;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the resumed workflow never recorded a finished operation ({listed.Length} listed)");
            await Task.Delay(100);
        }
    }

    /// <summary>Fails the first start of an operation of one kind, as a silo dying under the call would.</summary>
    private sealed class FirstStartFails(OperationKind kind) : IIncomingGrainCallFilter
    {
        private int _failed;

        public bool Failed => Volatile.Read(ref _failed) == 1;

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod?.Name == nameof(IOperationGrain.StartAsync)
                && context.Request.GetArgument(0) is OperationStart start && start.Kind == kind
                && Interlocked.CompareExchange(ref _failed, 1, 0) == 0)
            {
                throw new TimeoutException("Simulated: the silo died before the operation was recorded.");
            }

            return context.Invoke();
        }
    }
}
