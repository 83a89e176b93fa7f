using System.Globalization;

namespace RAOrchestrator.GraphEmulator.State;

/// <summary>The outcome of charging one request to its app+tenant budget.</summary>
public readonly record struct ThrottleDecision(bool Allowed, int RetryAfterSeconds, double UsedFraction, string Scope)
{
    /// <summary>Value of <c>x-ms-throttle-limit-percentage</c>, sent from 0.8 of the limit.</summary>
    public string? LimitPercentageHeader =>
        UsedFraction >= 0.8 ? (Math.Floor(UsedFraction * 10) / 10).ToString("0.0", CultureInfo.InvariantCulture) : null;
}

/// <summary>
/// Sliding-window resource-unit budgets per app+tenant, plus a write bucket, and the Retry-After deadline last
/// given to each app+tenant (to count requests that come back too early).
/// </summary>
public sealed class Throttler(ThrottlingSettings settings, TimeProvider time)
{
    private readonly Lock _sync = new();
    private readonly Dictionary<(string App, string Tenant), Bucket> _buckets = [];
    private ThrottlingSettings _settings = settings.Clone();

    private sealed class Bucket
    {
        public readonly Queue<(DateTimeOffset At, int Units)> Units = new();
        public readonly Queue<DateTimeOffset> Writes = new();
        public int UnitsInWindow;
        public DateTimeOffset RetryNotBefore = DateTimeOffset.MinValue;
    }

    public ThrottlingSettings Settings
    {
        get { lock (_sync) return _settings.Clone(); }
        set { lock (_sync) { _settings = value.Clone(); _buckets.Clear(); } }
    }

    public TimeProvider Time => time;

    public int BudgetFor(int tenantUserCount)
    {
        lock (_sync) return Budget(_settings, tenantUserCount);
    }

    private static int Budget(ThrottlingSettings s, int users) =>
        s.BudgetOverride ?? (users < 50 ? s.SmallTenantBudget : users <= 500 ? s.MediumTenantBudget : s.LargeTenantBudget);

    /// <summary>True when this app+tenant was told to wait and the wait has not elapsed.</summary>
    public bool IsEarly(string app, string tenant)
    {
        lock (_sync)
        {
            return _buckets.TryGetValue((app, tenant), out var b) && time.GetUtcNow() < b.RetryNotBefore;
        }
    }

    /// <summary>Remembers a Retry-After handed out (also for injected 429s).</summary>
    public void RecordRetryAfter(string app, string tenant, int seconds)
    {
        lock (_sync)
        {
            var b = GetBucket(app, tenant);
            var until = time.GetUtcNow().AddSeconds(seconds);
            if (until > b.RetryNotBefore) b.RetryNotBefore = until;
        }
    }

    public ThrottleDecision Charge(string app, string tenant, int tenantUserCount, int units, bool isWrite)
    {
        var scope = $"Tenant_Application/{(isWrite ? "ReadWrite" : "Read")}/{app}/{tenant}";
        lock (_sync)
        {
            var s = _settings;
            if (!s.Enabled) return new ThrottleDecision(true, 0, 0, scope);
            var now = time.GetUtcNow();
            var b = GetBucket(app, tenant);
            var window = TimeSpan.FromSeconds(s.WindowSeconds);
            while (b.Units.Count > 0 && b.Units.Peek().At <= now - window) b.UnitsInWindow -= b.Units.Dequeue().Units;
            var writeWindow = TimeSpan.FromSeconds(s.WriteWindowSeconds);
            while (b.Writes.Count > 0 && b.Writes.Peek() <= now - writeWindow) b.Writes.Dequeue();

            var budget = Budget(s, tenantUserCount);
            if (b.UnitsInWindow + units > budget)
            {
                var retry = SecondsUntilFree(b, now, window, b.UnitsInWindow + units - budget);
                b.RetryNotBefore = Max(b.RetryNotBefore, now.AddSeconds(retry));
                return new ThrottleDecision(false, retry, (double)b.UnitsInWindow / budget, scope);
            }
            if (isWrite && b.Writes.Count + 1 > s.WriteBudget)
            {
                var retry = (int)Math.Max(1, Math.Ceiling((b.Writes.Peek() + writeWindow - now).TotalSeconds));
                b.RetryNotBefore = Max(b.RetryNotBefore, now.AddSeconds(retry));
                return new ThrottleDecision(false, retry, 1.0, scope.Replace("/ReadWrite/", "/Write/"));
            }
            b.Units.Enqueue((now, units));
            b.UnitsInWindow += units;
            if (isWrite) b.Writes.Enqueue(now);
            var used = Math.Max((double)b.UnitsInWindow / budget, isWrite ? (double)b.Writes.Count / s.WriteBudget : 0);
            return new ThrottleDecision(true, 0, used, scope);
        }
    }

    private static int SecondsUntilFree(Bucket b, DateTimeOffset now, TimeSpan window, int unitsToFree)
    {
        var freed = 0;
        foreach (var (at, u) in b.Units)
        {
            freed += u;
            if (freed >= unitsToFree)
            {
                return (int)Math.Max(1, Math.Ceiling((at + window - now).TotalSeconds));
            }
        }
        return (int)Math.Max(1, Math.Ceiling(window.TotalSeconds));
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private Bucket GetBucket(string app, string tenant)
    {
        if (!_buckets.TryGetValue((app, tenant), out var b)) _buckets[(app, tenant)] = b = new Bucket();
        return b;
    }
}
