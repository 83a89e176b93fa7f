namespace RAOrchestrator.Directory.Throttling;

/// <summary>
/// A limit of N units in any window of W, as Graph counts it: usage is kept in slots (1/300 of the window, at least
/// 10 ms), and a take succeeds only if the window plus the take stay within the limit. A slot leaves the window whole,
/// so the budget may free at most one slot's usage early: the governor's safety margin covers it. Not thread-safe;
/// the governor locks.
/// </summary>
internal sealed class SlidingWindowBudget
{
    private const int MaxSlots = 300;
    private static readonly long MinSlotTicks = TimeSpan.FromMilliseconds(10).Ticks;

    private readonly long[] _slots;
    private readonly long[] _slotNumber;
    private readonly long _slotTicks;
    private readonly double _limit;

    public SlidingWindowBudget(double limit, TimeSpan window)
    {
        _limit = limit;
        var count = (int)Math.Clamp(window.Ticks / MinSlotTicks, 1, MaxSlots);
        _slotTicks = Math.Max(1, window.Ticks / count);
        _slots = new long[count];
        _slotNumber = new long[count];
        Array.Fill(_slotNumber, long.MinValue);
    }

    /// <summary>Whether <paramref name="units"/> fit now; if not, how long until they would. Changes nothing.</summary>
    public bool WouldFit(long units, DateTimeOffset now, double factor, out TimeSpan wait)
    {
        var limit = Math.Max(1, _limit * factor);
        var current = now.UtcTicks / _slotTicks;
        var used = Used(current);
        wait = TimeSpan.Zero;
        if (used + units <= limit || used == 0)
        {
            return true;
        }

        // Walk from the oldest slot still in the window until enough usage has rolled off.
        var needed = used + units - limit;
        for (var age = _slots.Length - 1; age >= 0; age--)
        {
            var slot = current - age;
            var index = Index(slot);
            if (_slotNumber[index] == slot)
            {
                needed -= _slots[index];
                if (needed <= 0)
                {
                    wait = TimeSpan.FromTicks(Math.Max(1, ((slot + _slots.Length) * _slotTicks) - now.UtcTicks));
                    return false;
                }
            }
        }

        wait = TimeSpan.FromTicks(_slotTicks * _slots.Length);
        return false;
    }

    /// <summary>Whether any usage is still in the window.</summary>
    public bool HasUsage(DateTimeOffset now) => Used(now.UtcTicks / _slotTicks) > 0;

    public void Take(long units, DateTimeOffset now)
    {
        var current = now.UtcTicks / _slotTicks;
        var index = Index(current);
        if (_slotNumber[index] != current)
        {
            _slotNumber[index] = current;
            _slots[index] = 0;
        }

        _slots[index] += units;
    }

    /// <summary>
    /// Moves usage taken at <paramref name="takenAt"/> to <paramref name="now"/>: Graph counts a request when it
    /// arrives, at the latest when it answers, so the usage must not leave this window before it leaves Graph's.
    /// </summary>
    public void Move(long units, DateTimeOffset takenAt, DateTimeOffset now)
    {
        var from = takenAt.UtcTicks / _slotTicks;
        var to = now.UtcTicks / _slotTicks;
        var index = Index(from);
        if (to == from || _slotNumber[index] != from)
        {
            return;
        }

        var moved = Math.Min(units, _slots[index]);
        _slots[index] -= moved;
        Take(moved, now);
    }

    private int Index(long slot) => (int)(slot % _slots.Length);

    private long Used(long current)
    {
        long used = 0;
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slotNumber[i] != long.MinValue && current - _slotNumber[i] < _slots.Length)
            {
                used += _slots[i];
            }
        }

        return used;
    }
}
