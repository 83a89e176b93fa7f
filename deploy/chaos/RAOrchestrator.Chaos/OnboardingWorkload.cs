using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Chaos;

/// <summary>
/// One bulk onboarding of every tenant of the run. The request is sent again (same request_id: it resumes, never
/// repeats) every few seconds until the operation is done, as a client does that lost sight of it.
/// </summary>
public sealed class OnboardingWorkload(TenantPool pool) : IWorkload
{
    private readonly string _requestId = Guid.NewGuid().ToString();
    private string? _operation;
    private Operation? _final;

    public string Name => "bulk onboarding";

    public async Task RunAsync(ChaosContext context, CancellationToken stop)
    {
        var ids = new List<string>();
        foreach (var chunk in Enumerable.Range(0, context.Options.Tenants).Chunk(25))
        {
            ids.AddRange(await Task.WhenAll(chunk.Select(async _ =>
            {
                var id = Guid.NewGuid().ToString();
                await TestEmulator.AddTenantAsync(context.Emulator, id, remoteAssistSeats: 5, e5Seats: 5);
                return id;
            })));
        }

        pool.SetAll(ids);
        var request = new StartBulkOnboardingRequest { RequestId = _requestId, MaxParallelism = context.Options.BulkParallelism };
        request.Tenants.AddRange(ids.Select(id => new BulkTenant
        {
            TenantId = id,
            Tenant = new Tenant
            {
                DisplayName = "Chaos " + id[..8],
                MeetingSettings = TenantPool.MeetingSettings,
            },
        }));

        var bulk = new BulkOnboardingService.BulkOnboardingServiceClient(context.Invoker);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var (answer, refusal) = await Calls.UntilAnsweredAsync(o => bulk.StartBulkOnboardingAsync(request, o), TimeSpan.FromMinutes(2), stop);
                if (refusal is not null)
                {
                    throw new InvalidOperationException($"StartBulkOnboarding refused: {refusal.StatusCode} {refusal.Status.Detail}");
                }

                _operation = answer!.Operation.Name;
                context.Throughput.Acknowledged();
                if (answer.Operation.Done)
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromSeconds(10), stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public async Task SettleAsync(ChaosContext context, TimeSpan limit)
    {
        var operations = new OperationService.OperationServiceClient(context.Invoker);
        var deadline = DateTime.UtcNow + limit;
        while (_operation is not null && DateTime.UtcNow < deadline)
        {
            var (answer, _) = await Calls.UntilAnsweredAsync(o => operations.GetOperationAsync(new GetOperationRequest { Name = _operation }, o), limit);
            _final = answer?.Operation;
            if (_final is { Done: true })
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    public async Task<WorkloadReport> VerifyAsync(ChaosContext context)
    {
        var checks = new List<(string, string, bool)>();
        if (_final is null)
        {
            checks.Add(("bulk operation acknowledged", "never", false));
            return new WorkloadReport(Name, 0, 0, checks);
        }

        var progress = _final.Bulk;
        checks.Add(("bulk operation done", $"{_final.State}, {progress.Succeeded} succeeded, {progress.NeedsAttention} need attention, {progress.Failed} failed, {progress.Pending + progress.Running} unfinished", _final.Done && progress.Pending + progress.Running == 0));
        foreach (var failed in progress.ItemResults.Where(r => r.Outcome == "FAILED").Take(5))
        {
            Console.Error.WriteLine($"  onboarding failed: {failed.Target} {failed.Reason}: {failed.Message}");
        }

        var reasons = string.Join(", ", progress.ItemResults.GroupBy(r => $"{r.Outcome} {r.Reason}").Select(g => $"{g.Key} ×{g.Count()}"));
        checks.Add(("every item not succeeded has a reason", reasons.Length == 0 ? "none failed" : reasons, progress.ItemResults.All(r => r.Reason.Length > 0)));
        // Every tenant in the pool is ready in the emulator: a fault may slow an item down, never fail it for good.
        var notFound = progress.ItemResults.Count(r => r.Outcome == "FAILED" && r.Reason is "NOT_FOUND" or "TIMEOUT");
        checks.Add(("no item failed because of a fault (NOT_FOUND, TIMEOUT)", $"{notFound}", notFound == 0));

        // Each tenant the operation counts as succeeded is ACTIVE; each other one says why.
        var tenants = new TenantService.TenantServiceClient(context.Invoker);
        var notSucceeded = progress.ItemResults.Select(r => r.Target).ToHashSet();
        long lost = 0;
        foreach (var id in pool.All)
        {
            var name = TenantPool.Name(id);
            var (answer, refusal) = await Calls.UntilAnsweredAsync(o => tenants.GetTenantAsync(new GetTenantRequest { Name = name }, o), TimeSpan.FromSeconds(30));
            var active = answer?.Tenant.State == Tenant.Types.State.Active;
            if (!notSucceeded.Contains(name) && !active)
            {
                lost++;
                Console.Error.WriteLine($"  lost onboarding: {name} is {(refusal is null ? answer!.Tenant.State.ToString() : refusal.StatusCode.ToString())}");
            }
        }

        var listed = new HashSet<string>();
        var duplicates = 0;
        var token = string.Empty;
        do
        {
            var (page, _) = await Calls.UntilAnsweredAsync(o => tenants.ListTenantsAsync(new ListTenantsRequest { PageSize = 1000, PageToken = token }, o), TimeSpan.FromSeconds(30));
            duplicates += page!.Tenants.Count(t => !listed.Add(t.Name));
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        // A tenant whose onboarding failed at a Graph step is still the partner's; one that another partner manages is not.
        var expected = pool.All.Select(TenantPool.Name).Where(n => !progress.ItemResults.Any(r => r.Target == n && r.Reason == "TENANT_ALREADY_ONBOARDED")).ToHashSet();
        checks.Add(("partner lists each of its tenants once", $"{listed.Count} listed of {expected.Count}, {duplicates} repeated", duplicates == 0 && listed.SetEquals(expected)));
        return new WorkloadReport(Name, progress.Succeeded, lost, checks);
    }
}
