using System.Globalization;

namespace RAOrchestrator.GraphEmulator.State;

/// <summary>The outcome of charging one request to its budgets.</summary>
public readonly record struct ThrottleDecision(bool Allowed, int RetryAfterSeconds, double UsedFraction, string Scope)
{
    /// <summary>Value of <c>x-ms-throttle-limit-percentage</c>, sent from 0.8 of the limit.</summary>
    public string? LimitPercentageHeader =>
        UsedFraction >= 0.8 ? (Math.Floor(UsedFraction * 10) / 10).ToString("0.0", CultureInfo.InvariantCulture) : null;
}

/// <summary>
/// Sliding-window budgets: resource units per app+tenant (by tenant size), writes per app+tenant, and resource units
/// and writes per app across all tenants. Also remembers the Retry-After deadline last given to each app+tenant, to count
/// requests that come back too early.
/// </summary>
public sealed class Throttler(ThrottlingSettings settings, TimeProvider time)
{
    private readonly Lock _sync = new();
    private readonly Dictionary<(string App, string Tenant), TenantBucket> _buckets = [];
    private readonly Dictionary<string, Window> _apps = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Window> _appWrites = new(StringComparer.OrdinalIgnoreCase);
    private ThrottlingSettings _settings = settings.Clone();

    /// <summary>Units spent inside a sliding window.</summary>
    private sealed class Window
    {
        private readonly Queue<(DateTimeOffset At, int Units)> _entries = new();
        public int Used { get; private set; }

        public void Expire(DateTimeOffset now, TimeSpan window)
        {
            while (_entries.Count > 0 && _entries.Peek().At <= now - window)
            {
                Used -= _entries.Dequeue().Units;
            }
        }

        public void Add(DateTimeOffset now, int units)
        {
            _entries.Enqueue((now, units));
            Used += units;
        }

        /// <summary>Whole seconds until at least <paramref name="units"/> have left the window (at least 1).</summary>
        public int SecondsUntilFreed(DateTimeOffset now, TimeSpan window, int units)
        {
            var freed = 0;
            foreach (var (at, u) in _entries)
            {
                freed += u;
                if (freed >= units)
                {
                    return (int)Math.Max(1, Math.Ceiling((at + window - now).TotalSeconds));
                }
            }
            return (int)Math.Max(1, Math.Ceiling(window.TotalSeconds));
        }
    }

    private sealed class TenantBucket
    {
        public readonly Window Units = new();
        public readonly Window Writes = new();
        public DateTimeOffset RetryNotBefore = DateTimeOffset.MinValue;

        /// <summary>
        /// When the client was first told of the current run of Retry-After answers (the first answer carrying one was
        /// sent); null while the run's first answer is still being put together (an inner 429 in a batch still running).
        /// </summary>
        public DateTimeOffset? ToldAt;

        public void HandOut(DateTimeOffset now, int seconds)
        {
            if (now >= RetryNotBefore)
            {
                ToldAt = null;
            }

            var until = now.AddSeconds(seconds);
            if (until > RetryNotBefore)
            {
                RetryNotBefore = until;
            }
        }
    }

    public ThrottlingSettings Settings
    {
        get
        {
            lock (_sync)
            {
                return _settings.Clone();
            }
        }
        set
        {
            lock (_sync)
            {
                _settings = value.Clone();
                _buckets.Clear();
                _apps.Clear();
                _appWrites.Clear();
            }
        }
    }

    public int BudgetFor(int tenantUserCount)
    {
        lock (_sync)
        {
            return TenantBudget(_settings, tenantUserCount);
        }
    }

    private static int Scaled(ThrottlingSettings s, int budget) => Math.Max(1, (int)Math.Round(budget * s.Scale));

    private static int TenantBudget(ThrottlingSettings s, int users) =>
        Scaled(s, s.BudgetOverride ?? (users < 50 ? s.SmallTenantBudget : users <= 500 ? s.MediumTenantBudget : s.LargeTenantBudget));

    /// <summary>
    /// True when a request that <paramref name="arrived"/> at that moment came while its app+tenant was told to wait.
    /// The moment is when the request reached the emulator, not when it was judged: token checks and injected latency
    /// under load must not make a request that was sent in time look early. The client is told when the answer carrying
    /// the run's first Retry-After is sent (<see cref="Told"/>), not when it was decided: an inner 429 is decided while
    /// its batch still runs, and the client learns of it only with the whole batch's answer. Requests arriving within
    /// <see cref="ThrottlingSettings.InFlightGraceMilliseconds"/> of that answer were already on the wire, so a client
    /// could not have held them; they are not early either.
    /// </summary>
    public bool IsEarly(string app, string tenant, DateTimeOffset arrived)
    {
        lock (_sync)
        {
            return _buckets.TryGetValue((app, tenant), out var b) && b.ToldAt is { } told && arrived < b.RetryNotBefore
                && arrived >= told.AddMilliseconds(_settings.InFlightGraceMilliseconds);
        }
    }

    /// <summary>An answer carrying a Retry-After (top-level or inside a batch) was sent to the app for the tenant.</summary>
    public void Told(string app, string tenant)
    {
        lock (_sync)
        {
            if (_buckets.TryGetValue((app, tenant), out var b))
            {
                b.ToldAt ??= time.GetUtcNow();
            }
        }
    }

    /// <summary>Remembers a Retry-After handed out (also for injected 429s).</summary>
    public void RecordRetryAfter(string app, string tenant, int seconds)
    {
        lock (_sync)
        {
            Bucket(app, tenant).HandOut(time.GetUtcNow(), seconds);
        }
    }

    public ThrottleDecision Charge(string app, string tenant, int tenantUserCount, int units, bool isWrite)
    {
        var scope = $"Tenant_Application/{(isWrite ? "ReadWrite" : "Read")}/{app}/{tenant}";
        lock (_sync)
        {
            var s = _settings;
            if (!s.Enabled)
            {
                return new ThrottleDecision(true, 0, 0, scope);
            }

            var now = time.GetUtcNow();
            var b = Bucket(app, tenant);
            if (!_apps.TryGetValue(app, out var appWindow))
            {
                _apps[app] = appWindow = new Window();
            }

            if (!_appWrites.TryGetValue(app, out var appWrites))
            {
                _appWrites[app] = appWrites = new Window();
            }

            var window = TimeSpan.FromSeconds(s.WindowSeconds);
            var writeWindow = TimeSpan.FromSeconds(s.WriteWindowSeconds);
            var appSpan = TimeSpan.FromSeconds(s.AppWindowSeconds);
            var appWriteSpan = TimeSpan.FromSeconds(s.AppWriteWindowSeconds);
            b.Units.Expire(now, window);
            b.Writes.Expire(now, writeWindow);
            appWindow.Expire(now, appSpan);
            appWrites.Expire(now, appWriteSpan);

            var budget = TenantBudget(s, tenantUserCount);
            var writeBudget = Scaled(s, s.WriteBudget);
            var appBudget = Scaled(s, s.AppBudget);
            var appWriteBudget = Scaled(s, s.AppWriteBudget);

            int? retry = null;
            var deniedScope = scope;
            if (b.Units.Used + units > budget)
            {
                retry = b.Units.SecondsUntilFreed(now, window, b.Units.Used + units - budget);
            }
            else if (isWrite && b.Writes.Used + 1 > writeBudget)
            {
                retry = b.Writes.SecondsUntilFreed(now, writeWindow, b.Writes.Used + 1 - writeBudget);
                deniedScope = $"Tenant_Application/Write/{app}/{tenant}";
            }
            else if (appWindow.Used + units > appBudget)
            {
                retry = appWindow.SecondsUntilFreed(now, appSpan, appWindow.Used + units - appBudget);
                deniedScope = $"Application/{(isWrite ? "ReadWrite" : "Read")}/{app}";
            }
            else if (isWrite && appWrites.Used + 1 > appWriteBudget)
            {
                retry = appWrites.SecondsUntilFreed(now, appWriteSpan, appWrites.Used + 1 - appWriteBudget);
                deniedScope = $"Application/Write/{app}";
            }
            if (retry is { } seconds)
            {
                b.HandOut(now, seconds);
                return new ThrottleDecision(false, seconds, (double)b.Units.Used / budget, deniedScope);
            }

            b.Units.Add(now, units);
            appWindow.Add(now, units);
            if (isWrite)
            {
                b.Writes.Add(now, 1);
                appWrites.Add(now, 1);
            }
            var used = Math.Max((double)b.Units.Used / budget, (double)appWindow.Used / appBudget);
            if (isWrite)
            {
                used = Math.Max(used, Math.Max((double)b.Writes.Used / writeBudget, (double)appWrites.Used / appWriteBudget));
            }

            return new ThrottleDecision(true, 0, used, scope);
        }
    }

    private TenantBucket Bucket(string app, string tenant)
    {
        if (!_buckets.TryGetValue((app, tenant), out var b))
        {
            _buckets[(app, tenant)] = b = new TenantBucket();
        }

        return b;
    }
}
