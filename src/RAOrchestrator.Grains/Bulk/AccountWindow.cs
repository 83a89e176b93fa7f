namespace RAOrchestrator.Grains.Bulk;

/// <summary>
/// Flow control for a bulk coordinator's service accounts: how many of their calls it has in flight at once, sized by
/// how long those calls take, so that none queues behind Graph's write budget, the seat ledger or storage until the
/// grain-call timeout runs out. Each call answered within <see cref="Target"/> while the window is in use widens it by
/// <see cref="Step"/> accounts per window's worth of answers; a call that took longer halves it (at most once per
/// <see cref="Target"/>, since the calls admitted before a cut still answer late). Whatever stands between the
/// accounts and Graph, the window settles at about its rate times the target (Little's law). A tenant's accounts are
/// admitted together, first come first served, so they still share a Graph $batch; a group larger than the window
/// goes when nothing else is in flight.
/// </summary>
public sealed class AccountWindow(TimeSpan target, TimeProvider clock, int initial = AccountWindow.Step * 2, int minimum = AccountWindow.Step, int maximum = 1_000)
{
    /// <summary>Accounts the window widens by per window's worth of timely answers: one $batch of accounts.</summary>
    public const int Step = 10;

    private readonly Lock _lock = new();
    private readonly Queue<(int Count, TaskCompletionSource Admitted)> _waiting = new();
    private double _limit = initial;
    private int _inFlight;
    private long _lastCut = long.MinValue;

    /// <summary>How long a call may take before the window narrows.</summary>
    public TimeSpan Target => target;

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
                _limit = Math.Min(maximum, _limit + ((double)Step / _limit));
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
