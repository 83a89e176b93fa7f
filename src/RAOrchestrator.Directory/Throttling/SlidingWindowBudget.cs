namespace RAOrchestrator.Directory.Throttling;

/// <summary>
/// A limit of N units in any window of W seconds, as Graph counts it: usage is kept in one-second slots, and a take
/// succeeds only if the last W seconds plus the take stay within the limit. Not thread-safe; the governor locks.
/// </summary>
internal sealed class SlidingWindowBudget
{
    private readonly long[] _slots;
    private readonly long[] _slotSecond;
    private readonly double _limit;

    public SlidingWindowBudget(double limit, int windowSeconds)
    {
        _limit = limit;
        _slots = new long[windowSeconds];
        _slotSecond = new long[windowSeconds];
    }

    public int WindowSeconds => _slots.Length;

    /// <summary>Whether <paramref name="units"/> fit now; if not, how long until they would. Changes nothing.</summary>
    public bool WouldFit(long units, long nowSecond, double factor, out TimeSpan wait)
    {
        var limit = Math.Max(1, _limit * factor);
        var used = Used(nowSecond);
        wait = TimeSpan.Zero;
        if (used + units <= limit || used == 0)
        {
            return true;
        }

        // Walk from the oldest second still in the window until enough usage has rolled off.
        var needed = used + units - limit;
        for (var age = _slots.Length - 1; age >= 0; age--)
        {
            var second = nowSecond - age;
            var index = (int)(second % _slots.Length);
            if (_slotSecond[index] == second)
            {
                needed -= _slots[index];
                if (needed <= 0)
                {
                    wait = TimeSpan.FromSeconds(second + _slots.Length - nowSecond);
                    return false;
                }
            }
        }

        wait = TimeSpan.FromSeconds(_slots.Length);
        return false;
    }

    public void Take(long units, long nowSecond)
    {
        var index = (int)(nowSecond % _slots.Length);
        if (_slotSecond[index] != nowSecond)
        {
            _slotSecond[index] = nowSecond;
            _slots[index] = 0;
        }

        _slots[index] += units;
    }

    private long Used(long nowSecond)
    {
        long used = 0;
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slotSecond[i] != 0 && nowSecond - _slotSecond[i] < _slots.Length)
            {
                used += _slots[i];
            }
        }

        return used;
    }
}
