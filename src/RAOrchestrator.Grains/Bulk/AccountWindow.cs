namespace RAOrchestrator.Grains.Bulk;

/// <summary>
/// Flow control for a bulk coordinator's service accounts: how many of their calls it has in flight at once, so that
/// none queues behind Graph's write budget, the seat ledger or storage until the grain-call timeout runs out.
/// <list type="bullet">
/// <item>The window never holds more than <see cref="Ceiling"/>, which the coordinator sets to what its share of
/// Graph's write budget serves in a fixed time (accounts a second times that time, Little's law, see
/// <see cref="BulkAccountPacing"/>), so the budget alone cannot keep calls waiting much longer than that, however many
/// accounts a run has.</item>
/// <item>Below that, the window follows how long calls take, for what the budget does not see (the machine, storage,
/// the ledger): it starts at two $batches of accounts and doubles per window's worth of timely answers (slow start);
/// after its first slow answer it widens by <see cref="Step"/> a window's worth instead; a call answered later than
/// <paramref name="target"/> halves it (at most once per <paramref name="target"/>, since calls admitted before a cut
/// still answer late), never below <paramref name="minimum"/>.</item>
/// </list>
/// A tenant's accounts are admitted together, first come first served, so they still share a Graph $batch; a group
/// larger than the window goes when nothing else is in flight.
/// </summary>
public sealed class AccountWindow(TimeSpan target, TimeProvider clock, int initial = AccountWindow.Step * 2, int minimum = AccountWindow.Step)
{
    /// <summary>Accounts the window widens by per window's worth of timely answers: one $batch of accounts.</summary>
    public const int Step = 10;

    private readonly Lock _lock = new();
    private readonly Queue<(int Count, TaskCompletionSource Admitted)> _waiting = new();
    private double _limit = Math.Max(minimum, initial);
    private int _ceiling = int.MaxValue;
    private int _inFlight;
    private long _lastCut = long.MinValue;

    /// <summary>Accounts that may be in flight at once now.</summary>
    public int Limit
    {
        get
        {
            lock (_lock)
            {
                return (int)_limit;
            }
        }
    }

    /// <summary>The most the window may widen to (never below its minimum); lowering it narrows the window at once.</summary>
    public int Ceiling
    {
        get
        {
            lock (_lock)
            {
                return _ceiling;
            }
        }
        set
        {
            lock (_lock)
            {
                _ceiling = Math.Max(minimum, value);
                _limit = Math.Min(_limit, _ceiling);
            }
        }
    }

    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> accounts may start (after every group that asked before).</summary>
    public Task AdmitAsync(int count)
    {
        lock (_lock)
        {
            if (_waiting.Count == 0 && Fits(count))
            {
                _inFlight += count;
                return Task.CompletedTask;
            }

            var admitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue((count, admitted));
            return admitted.Task;
        }
    }

    /// <summary>When a call starts, for <see cref="Answered"/>.</summary>
    public long Started() => clock.GetTimestamp();

    /// <summary>One admitted account's call came back (answered, refused or timed out) after starting at <paramref name="started"/>.</summary>
    public void Answered(long started)
    {
        var now = clock.GetTimestamp();
        var took = clock.GetElapsedTime(started, now);
        lock (_lock)
        {
            if (took > target)
            {
                if (_lastCut == long.MinValue || clock.GetElapsedTime(_lastCut, now) >= target)
                {
                    _limit = Math.Max(minimum, _limit / 2);
                    _lastCut = now;
                }
            }
            else if (_waiting.Count > 0 || _inFlight + Step >= _limit)
            {
                var growth = _lastCut == long.MinValue ? 1 : (double)Step / _limit;
                _limit = Math.Min(_ceiling, _limit + growth);
            }

            LeaveLocked();
        }
    }

    /// <summary>One admitted account goes without a call (cancelled before it started).</summary>
    public void Leave()
    {
        lock (_lock)
        {
            LeaveLocked();
        }
    }

    private void LeaveLocked()
    {
        _inFlight--;
        while (_waiting.TryPeek(out var next) && Fits(next.Count))
        {
            _waiting.Dequeue();
            _inFlight += next.Count;
            next.Admitted.SetResult();
        }
    }

    private bool Fits(int count) => _inFlight == 0 || _inFlight + count <= (int)_limit;
}
