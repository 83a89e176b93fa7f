using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Chaos;

/// <summary>
/// Renames ACTIVE tenants over and over, one write at a time per tenant, each retried with its request_id until it
/// is answered. The last answered name of every tenant must be what the service returns at the end: a write the
/// service acknowledged and then forgot is a lost operation.
/// </summary>
public sealed class TenantWriterWorkload(TenantPool pool, int loops = 3) : IWorkload
{
    private readonly ConcurrentDictionary<string, string> _lastAcknowledged = new();
    private long _acknowledged;
    private long _unanswered;

    public string Name => "tenant writes";

    public async Task RunAsync(ChaosContext context, CancellationToken stop)
    {
        var tenants = new TenantService.TenantServiceClient(context.Invoker);
        await Task.WhenAll(Enumerable.Range(0, loops).Select(async loop =>
        {
            var sequence = 0;
            while (!stop.IsCancellationRequested)
            {
                // Each loop owns the tenants whose hash falls to it, so writes to one tenant never overlap.
                var mine = pool.Active.Where(id => (id.GetHashCode(StringComparison.Ordinal) & 0x7fffffff) % loops == loop).ToArray();
                if (mine.Length == 0)
                {
                    await Task.Delay(200, CancellationToken.None);
                    continue;
                }

                var id = mine[sequence % mine.Length];
                var displayName = $"chaos write {loop}-{++sequence}";
                var request = new UpdateTenantRequest
                {
                    RequestId = Guid.NewGuid().ToString(),
                    Tenant = new Tenant { Name = TenantPool.Name(id), DisplayName = displayName },
                    UpdateMask = new FieldMask { Paths = { "display_name" } },
                };
                try
                {
                    // Not cancelled by the stop signal: a write already sent is followed to its answer.
                    var (answer, refusal) = await Calls.UntilAnsweredAsync(o => tenants.UpdateTenantAsync(request, o), TimeSpan.FromMinutes(2));
                    if (answer is not null)
                    {
                        _lastAcknowledged[id] = answer.Tenant.DisplayName;
                        Interlocked.Increment(ref _acknowledged);
                        context.Throughput.Acknowledged();
                    }
                    else
                    {
                        Console.Error.WriteLine($"  write refused: {refusal!.StatusCode} {refusal.Status.Detail}");
                    }
                }
                catch (TimeoutException)
                {
                    // Unknown outcome: the tenant is no longer checked against a name.
                    Interlocked.Increment(ref _unanswered);
                    _lastAcknowledged.TryRemove(id, out _);
                }
            }
        }));
    }

    public Task SettleAsync(ChaosContext context, TimeSpan limit) => Task.CompletedTask;

    public async Task<WorkloadReport> VerifyAsync(ChaosContext context)
    {
        var tenants = new TenantService.TenantServiceClient(context.Invoker);
        long lost = 0;
        foreach (var (id, expected) in _lastAcknowledged)
        {
            var (answer, refusal) = await Calls.UntilAnsweredAsync(o => tenants.GetTenantAsync(new GetTenantRequest { Name = TenantPool.Name(id) }, o), TimeSpan.FromSeconds(30));
            if (answer?.Tenant.DisplayName != expected)
            {
                lost++;
                Console.Error.WriteLine($"  lost write: {id} expected '{expected}', found '{answer?.Tenant.DisplayName ?? refusal?.StatusCode.ToString()}'");
            }
        }

        return new WorkloadReport(Name, _acknowledged, lost,
        [
            ("tenants checked against their last acknowledged name", _lastAcknowledged.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), true),
            ("writes never answered (2 min)", _unanswered.ToString(System.Globalization.CultureInfo.InvariantCulture), _unanswered == 0),
        ]);
    }
}
