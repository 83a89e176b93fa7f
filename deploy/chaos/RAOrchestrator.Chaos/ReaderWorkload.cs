using System.Collections.Concurrent;
using Grpc.Core;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Chaos;

/// <summary>
/// Partners reading their tenants all the time (GetTenant over the balanced channel, a few loops at once): the load
/// whose rate shows whether the cluster held, and how the other workloads learn which tenants are ACTIVE.
/// </summary>
public sealed class ReaderWorkload(TenantPool pool, int loops = 4) : IWorkload
{
    private readonly ConcurrentDictionary<StatusCode, long> _answers = new();

    public string Name => "tenant reads";

    public async Task RunAsync(ChaosContext context, CancellationToken stop)
    {
        var tenants = new TenantService.TenantServiceClient(context.Invoker);
        await Task.WhenAll(Enumerable.Range(0, loops).Select(async loop =>
        {
            var next = loop;
            while (!stop.IsCancellationRequested)
            {
                var all = pool.All;
                if (all.Count == 0)
                {
                    await Delay(TimeSpan.FromMilliseconds(200), stop);
                    continue;
                }

                var id = all[next++ % all.Count];
                try
                {
                    var tenant = (await tenants.GetTenantAsync(new GetTenantRequest { Name = TenantPool.Name(id) }, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: stop)).Tenant;
                    Count(StatusCode.OK);
                    context.Throughput.Acknowledged();
                    if (tenant.State == Tenant.Types.State.Active)
                    {
                        pool.MarkActive(id);
                    }
                }
                catch (RpcException ex) when (!stop.IsCancellationRequested)
                {
                    Count(ex.StatusCode);
                    if (Calls.IsTransient(ex))
                    {
                        await Delay(TimeSpan.FromMilliseconds(50), stop);
                    }
                }
                catch (RpcException)
                {
                    return;
                }
            }
        }));
    }

    public Task SettleAsync(ChaosContext context, TimeSpan limit) => Task.CompletedTask;

    public Task<WorkloadReport> VerifyAsync(ChaosContext context)
    {
        var answered = string.Join(", ", _answers.OrderBy(a => a.Key).Select(a => $"{a.Key} {a.Value}"));
        var internalErrors = _answers.GetValueOrDefault(StatusCode.Internal) + _answers.GetValueOrDefault(StatusCode.Unknown);
        return Task.FromResult(new WorkloadReport(Name, _answers.GetValueOrDefault(StatusCode.OK), 0,
        [
            ("answers (NotFound: not onboarded yet)", answered, true),
            ("no INTERNAL or UNKNOWN", internalErrors.ToString(System.Globalization.CultureInfo.InvariantCulture), internalErrors == 0),
        ]));
    }

    private void Count(StatusCode code) => _answers.AddOrUpdate(code, 1, (_, n) => n + 1);

    private static async Task Delay(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
