namespace RAOrchestrator.Grains.Storage;

/// <summary>
/// Group commit for a grain whose calls interleave: each caller changes the state in memory without awaiting anything,
/// then awaits <see cref="CommitAsync"/>, which returns once a write holding its change has landed. Changes made while
/// a write is in flight share the next one, so N concurrent callers cost one or two writes instead of N, and writes
/// never overlap (the state's etag is used by one write at a time). A failed write fails every caller waiting on it
/// (and drops the activation, see <see cref="StateWrites"/>), so none hears of a change that may not have landed.
/// </summary>
/// <param name="onWrite">
/// Called as each write starts, with the state as it is written; returns what to do once that write has landed (a grain
/// whose readers interleave with its writes keeps there what its readers may see).
/// </param>
public sealed class GroupCommit<T>(IPersistentState<T> state, IGrainBase grain, Func<Action>? onWrite = null)
{
    private long _changes;
    private long _written;
    private Task? _writing;

    /// <summary>Returns once a write that includes every change made before this call has landed.</summary>
    public Task CommitAsync()
    {
        ++_changes;
        return SettledAsync();
    }

    /// <summary>
    /// Returns once every change committed so far has landed, writing nothing new: for a call that changes nothing
    /// because an earlier call made its change already (an idempotent repeat), whose write may still be in flight.
    /// </summary>
    public async Task SettledAsync()
    {
        var upTo = _changes;
        while (_written < upTo)
        {
            if (_writing is null || _writing.IsCompleted)
            {
                _writing = WriteAsync(_changes);
            }

            await _writing;
        }
    }

    private async Task WriteAsync(long upTo)
    {
        var landed = onWrite?.Invoke();
        await state.WriteOrDeactivateAsync(grain);
        _written = Math.Max(_written, upTo);
        landed?.Invoke();
    }
}
