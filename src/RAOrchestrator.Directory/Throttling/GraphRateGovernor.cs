using System.Collections.Concurrent;
using RAOrchestrator.Domain.Directory;

namespace RAOrchestrator.Directory.Throttling;

/// <summary>
/// Keeps the gateway's Graph traffic inside the published identity budgets: per app+tenant (resource units per
/// 10 s, writes per 150 s) and per app across every tenant (units per 20 s, writes per 5 min). Each silo takes its
/// share (the limits divided by the active silo count), slows a tenant down as Graph reports
/// x-ms-throttle-limit-percentage rising, and holds every request of a tenant until a Retry-After has passed. The
/// app's budgets serve the requests waiting for them in the order they asked: a later request never takes the room an
/// earlier one waits for, so how long a request waits follows from what is queued before it (bulk work paces itself by
/// that, see <see cref="IDirectoryWriteBudget"/>).
/// </summary>
/// <remarks>
/// The app's budget is shared by every partner's tenants, so it is shared fairly between partners: each active
/// partner (one with a request waiting, or one that sent within the last second) may hold at most an equal share of
/// the app's window. A partner alone uses it all; when a second one asks, the first is held until its usage falls to half,
/// so a partner flooding Graph cannot keep another's onboarding waiting longer than about one window.
/// </remarks>
public sealed class GraphRateGovernor : IDirectoryWriteBudget
{
    private readonly GraphBudgetOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<int> _siloCount;
    private readonly ConcurrentDictionary<string, TenantBudget> _tenants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PartnerShare> _partners = new(StringComparer.Ordinal);
    private static readonly TimeSpan RecentlyActive = TimeSpan.FromSeconds(1);
    private readonly Lock _appLock = new();
    private readonly LinkedList<AppWaiter> _appQueue = new();
    private SlidingWindowBudget? _appUnits;
    private SlidingWindowBudget? _appWrites;
    private int _appSilos;
    private DateTimeOffset _appBlockedUntil = DateTimeOffset.MinValue;

    public GraphRateGovernor(GraphBudgetOptions options, TimeProvider time, Func<int>? siloCount = null)
    {
        _options = options;
        _time = time;
        _siloCount = siloCount ?? (() => 1);
    }

    /// <inheritdoc />
    public double WritesPerSecond => _options.AppWritesPer5Minutes * _options.Safety / Math.Max(1, _siloCount()) / Window(300).TotalSeconds;

    /// <summary>
    /// Waits until the request may go: the tenant is not in a Retry-After, both budgets have room, and the partner it
    /// is made for (<paramref name="partnerId"/>; empty for none) holds no more than its share of the app's window.
    /// </summary>
    public async Task<GraphCharge> AcquireAsync(string tenantId, int units, int writes, CancellationToken cancellationToken, string partnerId = "")
    {
        var tenant = _tenants.GetOrAdd(tenantId, _ => new TenantBudget());
        var partner = Waiting(partnerId, +1);
        LinkedListNode<AppWaiter> place;
        lock (_appLock)
        {
            place = _appQueue.AddLast(new AppWaiter(units, writes));
        }

        try
        {
            while (true)
            {
                var wait = TryAcquire(tenant, partner, place, out var charge);
                if (wait <= TimeSpan.Zero)
                {
                    return charge;
                }

                await Task.Delay(wait, _time, cancellationToken);
            }
        }
        finally
        {
            lock (_appLock)
            {
                _appQueue.Remove(place);
            }

            Waiting(partnerId, -1);
        }
    }

    /// <summary>The partner's share record, counting a request that starts (+1) or stops (-1) waiting.</summary>
    private PartnerShare Waiting(string partnerId, int change)
    {
        lock (_appLock)
        {
            if (!_partners.TryGetValue(partnerId, out var partner))
            {
                partner = new PartnerShare(partnerId);
                _partners[partnerId] = partner;
            }

            partner.Waiting += change;
            partner.LastActive = _time.GetUtcNow();
            return partner;
        }
    }

    /// <summary>
    /// The request was answered (or its connection dropped): Graph counted it at some moment between the charge and
    /// now, so its usage leaves our windows only a window after now. Network and queueing delays that differ from one
    /// request to the next thus never let our windows run ahead of Graph's.
    /// </summary>
    public void Answered(string tenantId, GraphCharge charge)
    {
        var now = _time.GetUtcNow();
        if (!_tenants.TryGetValue(tenantId, out var tenant) || now <= charge.At)
        {
            return;
        }

        lock (tenant.Lock)
        {
            if (tenant.Units is null || tenant.Silos != charge.Silos)
            {
                return;
            }

            tenant.Units.Move(charge.Units, charge.At, now);
            lock (_appLock)
            {
                var partner = charge.Partner is { } key && _partners.TryGetValue(key, out var p) && p.Silos == charge.Silos ? p : null;
                if (_appSilos == charge.Silos)
                {
                    _appUnits!.Move(charge.Units, charge.At, now);
                    partner?.Units!.Move(charge.Units, charge.At, now);
                }

                if (charge.Writes > 0)
                {
                    tenant.Writes!.Move(charge.Writes, charge.At, now);
                    if (_appSilos == charge.Silos)
                    {
                        _appWrites!.Move(charge.Writes, charge.At, now);
                        partner?.Writes!.Move(charge.Writes, charge.At, now);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Graph answered 429 (or 503) with this Retry-After: nothing more for the tenant until it has passed. When the
    /// throttled bucket is the app's own across tenants (<c>x-ms-throttle-scope: Application/...</c>), nothing more for
    /// any tenant: every tenant's next request would meet the same full bucket.
    /// </summary>
    public void Throttled(string tenantId, TimeSpan retryAfter, string? scope = null)
    {
        var until = _time.GetUtcNow() + retryAfter;
        if (IsAppScope(scope))
        {
            lock (_appLock)
            {
                if (until > _appBlockedUntil)
                {
                    _appBlockedUntil = until;
                }
            }

            return;
        }

        var tenant = _tenants.GetOrAdd(tenantId, _ => new TenantBudget());
        lock (tenant.Lock)
        {
            if (until > tenant.BlockedUntil)
            {
                tenant.BlockedUntil = until;
            }
        }
    }

    /// <summary>Whether Graph's x-ms-throttle-scope names a bucket of the whole app (Application/{kind}/{appId}).</summary>
    public static bool IsAppScope(string? scope) => scope?.StartsWith("Application/", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Graph's x-ms-throttle-limit-percentage (sent from 0.8): plan with a smaller share until it falls again.</summary>
    public void ReportLimitPercentage(string tenantId, double percentage)
    {
        var tenant = _tenants.GetOrAdd(tenantId, _ => new TenantBudget());
        lock (tenant.Lock)
        {
            // 0.8 of the limit -> 90 % of our plan, 1.0 -> 50 %, beyond -> 30 %; recovers after a quiet window.
            tenant.Factor = percentage switch
            {
                < 0.8 => 1.0,
                < 1.0 => 1.0 - ((percentage - 0.8) * 2.5),
                _ => 0.3,
            };
            tenant.FactorUntil = _time.GetUtcNow().AddSeconds(10);
        }
    }

    /// <summary>When the tenant may next send, for tests and diagnostics.</summary>
    public DateTimeOffset BlockedUntil(string tenantId) =>
        _tenants.TryGetValue(tenantId, out var tenant) ? tenant.BlockedUntil : DateTimeOffset.MinValue;

    private TimeSpan TryAcquire(TenantBudget tenant, PartnerShare partner, LinkedListNode<AppWaiter> place, out GraphCharge charge)
    {
        var (units, writes) = (place.Value.Units, place.Value.Writes);
        var now = _time.GetUtcNow();
        charge = default;
        var silos = Math.Max(1, _siloCount());
        lock (tenant.Lock)
        {
            if (tenant.BlockedUntil > now)
            {
                // Held by its own tenant's Retry-After: no reason to hold anyone else's request back.
                (place.Value.WaitsForAppUnits, place.Value.WaitsForAppWrites) = (false, false);
                return tenant.BlockedUntil - now;
            }

            if (tenant.FactorUntil <= now)
            {
                tenant.Factor = 1.0;
            }

            if (tenant.Units is null || tenant.Silos != silos)
            {
                tenant.Silos = silos;
                tenant.Units = new SlidingWindowBudget(_options.TenantUnitsPer10Seconds * _options.Safety / silos, Window(10));
                tenant.Writes = new SlidingWindowBudget(_options.TenantWritesPer150Seconds * _options.Safety / silos, Window(150));
            }

            lock (_appLock)
            {
                if (_appBlockedUntil > now)
                {
                    return _appBlockedUntil - now;
                }

                if (_appUnits is null || _appSilos != silos)
                {
                    _appSilos = silos;
                    _appUnits = NewAppUnits(silos);
                    _appWrites = NewAppWrites(silos);
                }

                if (partner.Units is null || partner.Silos != silos)
                {
                    partner.Silos = silos;
                    partner.Units = NewAppUnits(silos);
                    partner.Writes = NewAppWrites(silos);
                }

                // Check every budget before taking from any, so a refusal takes nothing. The app's budgets serve
                // their waiting requests in the order they asked: what older requests still wait for is not free.
                var share = 1.0 / ActivePartners(partner, now);
                var (unitsAhead, writesAhead) = AppDemandAhead(place);
                var appUnits = Probe(_appUnits, units + unitsAhead, now, 1.0);
                var appWrites = writes > 0 ? Probe(_appWrites!, writes + writesAhead, now, 1.0) : TimeSpan.Zero;
                (place.Value.WaitsForAppUnits, place.Value.WaitsForAppWrites) = (appUnits > TimeSpan.Zero, appWrites > TimeSpan.Zero);
                var waits = new[]
                {
                    Probe(tenant.Units, units, now, tenant.Factor),
                    writes > 0 ? Probe(tenant.Writes!, writes, now, tenant.Factor) : TimeSpan.Zero,
                    appUnits,
                    appWrites,
                    Probe(partner.Units, units, now, share),
                    writes > 0 ? Probe(partner.Writes!, writes, now, share) : TimeSpan.Zero,
                };
                var wait = waits.Max();
                if (wait > TimeSpan.Zero)
                {
                    return wait;
                }

                tenant.Units.Take(units, now);
                _appUnits.Take(units, now);
                partner.Units.Take(units, now);
                partner.LastActive = now;
                if (writes > 0)
                {
                    tenant.Writes!.Take(writes, now);
                    _appWrites!.Take(writes, now);
                    partner.Writes!.Take(writes, now);
                }

                charge = new GraphCharge(now, units, writes, silos, partner.Id);
                return TimeSpan.Zero;
            }
        }
    }

    /// <summary>
    /// Partners sending now (a request waiting, or one sent within <see cref="RecentlyActive"/>), this one included: a
    /// partner that sent a little a while ago does not shrink the others' shares. Partners whose usage has left the app
    /// window are forgotten. Called under the app lock.
    /// </summary>
    private int ActivePartners(PartnerShare asking, DateTimeOffset now)
    {
        var active = 0;
        List<string>? gone = null;
        foreach (var partner in _partners.Values)
        {
            if (partner == asking || partner.Waiting > 0 || now - partner.LastActive < RecentlyActive)
            {
                active++;
            }
            else if (partner.Units?.HasUsage(now) != true && partner.Writes?.HasUsage(now) != true)
            {
                (gone ??= []).Add(partner.Id);
            }
        }

        foreach (var id in gone ?? [])
        {
            _partners.Remove(id);
        }

        return Math.Max(1, active);
    }

    private SlidingWindowBudget NewAppUnits(int silos) => new(_options.AppUnitsPer20Seconds * _options.Safety / silos, Window(20));

    private SlidingWindowBudget NewAppWrites(int silos) => new(_options.AppWritesPer5Minutes * _options.Safety / silos, Window(300));

    private static TimeSpan Probe(SlidingWindowBudget budget, int units, DateTimeOffset now, double factor) =>
        budget.WouldFit(units, now, factor, out var wait) ? TimeSpan.Zero : wait;

    /// <summary>A published window, times <see cref="GraphBudgetOptions.WindowScale"/>.</summary>
    private TimeSpan Window(double seconds) => TimeSpan.FromSeconds(seconds * _options.WindowScale);

    /// <summary>
    /// Units and writes that requests which asked before <paramref name="place"/> still wait for from the app's budgets:
    /// the units of those waiting for the app's units, the writes of those waiting for its writes (not those held only
    /// by their tenant or their partner's share). Called under the app lock.
    /// </summary>
    private static (int Units, int Writes) AppDemandAhead(LinkedListNode<AppWaiter> place)
    {
        var (units, writes) = (0, 0);
        for (var older = place.Previous; older is not null; older = older.Previous)
        {
            units += older.Value.WaitsForAppUnits ? older.Value.Units : 0;
            writes += older.Value.WaitsForAppWrites ? older.Value.Writes : 0;
        }

        return (units, writes);
    }

    /// <summary>A request in the app's queue: what it asks for, and which of the app's budgets it waits for.</summary>
    private sealed class AppWaiter(int units, int writes)
    {
        public int Units { get; } = units;
        public int Writes { get; } = writes;
        public bool WaitsForAppUnits;
        public bool WaitsForAppWrites;
    }

    /// <summary>A partner's usage of the app's windows, and how many of its requests wait.</summary>
    private sealed class PartnerShare(string id)
    {
        public string Id { get; } = id;
        public SlidingWindowBudget? Units;
        public SlidingWindowBudget? Writes;
        public int Silos;
        public int Waiting;
        public DateTimeOffset LastActive;
    }

    private sealed class TenantBudget
    {
        public readonly Lock Lock = new();
        public SlidingWindowBudget? Units;
        public SlidingWindowBudget? Writes;
        public int Silos;
        public DateTimeOffset BlockedUntil = DateTimeOffset.MinValue;
        public double Factor = 1.0;
        public DateTimeOffset FactorUntil = DateTimeOffset.MinValue;
    }
}

/// <summary>What one request took from the budgets, for whom, and when (see <see cref="GraphRateGovernor.Answered"/>).</summary>
public readonly record struct GraphCharge(DateTimeOffset At, int Units, int Writes, int Silos, string? Partner = null);
