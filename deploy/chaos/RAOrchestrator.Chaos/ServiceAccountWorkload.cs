using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Chaos;

/// <summary>
/// A licensed vendor service account in every tenant as soon as it is ACTIVE: a user created in the emulator's
/// directory, seats reserved at the tenant's ledger, a licence assigned. Afterwards no user and no licence may exist
/// twice, and every ledger must agree with the directory.
/// </summary>
public sealed class ServiceAccountWorkload : IWorkload
{
    private readonly Channel<string> _ready = Channel.CreateUnbounded<string>();
    private readonly ConcurrentDictionary<string, ServiceAccount.Types.State> _acknowledged = new();
    private readonly int _workers;
    private long _unanswered;

    public ServiceAccountWorkload(TenantPool pool, int workers = 4)
    {
        _workers = workers;
        pool.BecameActive += id => _ready.Writer.TryWrite(id);
    }

    public string Name => "service accounts";

    public async Task RunAsync(ChaosContext context, CancellationToken stop)
    {
        var accounts = new ServiceAccountService.ServiceAccountServiceClient(context.Invoker);
        await Task.WhenAll(Enumerable.Range(0, _workers).Select(async _ =>
        {
            try
            {
                await foreach (var id in _ready.Reader.ReadAllAsync(stop))
                {
                    await ProvisionAsync(context, accounts, id);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Tenants that became active after the faults get no account.
            }
        }));
    }

    public async Task SettleAsync(ChaosContext context, TimeSpan limit)
    {
        var accounts = new ServiceAccountService.ServiceAccountServiceClient(context.Invoker);
        var deadline = DateTime.UtcNow + limit;
        foreach (var id in _acknowledged.Keys)
        {
            while (_acknowledged[id] == ServiceAccount.Types.State.Provisioning && DateTime.UtcNow < deadline)
            {
                var (answer, _) = await Calls.UntilAnsweredAsync(o => accounts.GetServiceAccountAsync(new GetServiceAccountRequest { Name = AccountName(id) }, o), limit);
                if (answer is not null)
                {
                    _acknowledged[id] = answer.ServiceAccount.State;
                }

                if (_acknowledged[id] == ServiceAccount.Types.State.Provisioning)
                {
                    await Task.Delay(500);
                }
            }
        }
    }

    public async Task<WorkloadReport> VerifyAsync(ChaosContext context)
    {
        var accounts = new ServiceAccountService.ServiceAccountServiceClient(context.Invoker);
        long lost = 0, duplicateUsers = 0, duplicateLicences = 0, ledgerMismatches = 0, active = 0;
        foreach (var (id, acknowledgedState) in _acknowledged)
        {
            var (answer, refusal) = await Calls.UntilAnsweredAsync(o => accounts.GetServiceAccountAsync(new GetServiceAccountRequest { Name = AccountName(id) }, o), TimeSpan.FromSeconds(30));
            var state = answer?.ServiceAccount.State;
            if (state is null || acknowledgedState == ServiceAccount.Types.State.Active && state != ServiceAccount.Types.State.Active)
            {
                lost++;
                Console.Error.WriteLine($"  lost account: {AccountName(id)} was {acknowledgedState}, now {state?.ToString() ?? refusal?.StatusCode.ToString()}");
            }

            active += state == ServiceAccount.Types.State.Active ? 1 : 0;
            var (users, licences) = Directory(context, id);
            duplicateUsers += Math.Max(0, users - 1);
            duplicateLicences += licences.Count(l => l > 1);

            var (summary, _) = await Calls.UntilAnsweredAsync(o => accounts.GetLicenseSummaryAsync(new GetLicenseSummaryRequest { Parent = TenantPool.Name(id), Refresh = true }, o), TimeSpan.FromSeconds(30));
            var sku = summary?.Skus.SingleOrDefault(s => s.SkuId == TestEmulator.RemoteAssistSku.ToString());
            int consumedInDirectory;
            lock (context.Emulator.State.Sync)
            {
                consumedInDirectory = context.Emulator.State.Tenants[id].ConsumedUnits(TestEmulator.RemoteAssistSku);
            }

            if (sku is null || sku.Reserved != 0 || sku.Consumed != consumedInDirectory || sku.Available != sku.Enabled - sku.Consumed
                || consumedInDirectory != (state == ServiceAccount.Types.State.Active ? 1 : 0))
            {
                ledgerMismatches++;
                Console.Error.WriteLine($"  ledger: {id} consumed {sku?.Consumed} reserved {sku?.Reserved} available {sku?.Available} of {sku?.Enabled}; directory {consumedInDirectory}; account {state}");
            }
        }

        return new WorkloadReport(Name, _acknowledged.Count, lost,
        [
            ("accounts ACTIVE / acknowledged", $"{active} / {_acknowledged.Count}", true),
            ("provisioning never answered (3 min)", _unanswered.ToString(System.Globalization.CultureInfo.InvariantCulture), _unanswered == 0),
            ("users duplicated in the directory", duplicateUsers.ToString(System.Globalization.CultureInfo.InvariantCulture), duplicateUsers == 0),
            ("licences assigned twice to a user", duplicateLicences.ToString(System.Globalization.CultureInfo.InvariantCulture), duplicateLicences == 0),
            ("seat ledgers not balancing", ledgerMismatches.ToString(System.Globalization.CultureInfo.InvariantCulture), ledgerMismatches == 0),
        ]);
    }

    private async Task ProvisionAsync(ChaosContext context, ServiceAccountService.ServiceAccountServiceClient accounts, string id)
    {
        var request = new CreateServiceAccountRequest
        {
            RequestId = "sa-" + id,
            Parent = TenantPool.Name(id),
            ServiceAccountId = "vendor",
            ServiceAccount = new ServiceAccount { DisplayName = "Vendor expert", UserPrincipalName = Upn(id), UsageLocation = "DE" },
        };
        try
        {
            var (answer, refusal) = await Calls.UntilAnsweredAsync(o => accounts.CreateServiceAccountAsync(request, o), TimeSpan.FromMinutes(3));
            if (answer is not null)
            {
                _acknowledged[id] = answer.ServiceAccount.State;
                context.Throughput.Acknowledged();
            }
            else
            {
                Console.Error.WriteLine($"  account refused: {id} {refusal!.StatusCode} {refusal.Status.Detail}");
            }
        }
        catch (TimeoutException)
        {
            Interlocked.Increment(ref _unanswered);
        }
    }

    /// <summary>Users with the account's UPN in the tenant's directory, and how often each SKU is assigned to each of them.</summary>
    private static (int Users, IReadOnlyList<int> LicenceCounts) Directory(ChaosContext context, string id)
    {
        lock (context.Emulator.State.Sync)
        {
            var users = context.Emulator.State.Tenants[id].Users.Where(u => string.Equals((string?)u["userPrincipalName"], Upn(id), StringComparison.OrdinalIgnoreCase)).ToArray();
            var counts = users.SelectMany(u => (u["assignedLicenses"] as JsonArray ?? []).GroupBy(l => (string?)l?["skuId"]).Select(g => g.Count())).ToArray();
            return (users.Length, counts);
        }
    }

    private static string Upn(string id) => $"vendor@t{id[..8]}.example";

    private static string AccountName(string id) => $"{TenantPool.Name(id)}/serviceAccounts/vendor";
}
