using Orleans.Serialization;

namespace RAOrchestrator.Grains.Storage;

/// <summary>
/// The one log of recent requests' answers, kept for retries (oldest first) in a grain's state, within a count and a
/// byte budget (<see cref="StateLimits.MaxAnswerLogBytes"/>): the oldest answers go first; the newest is always kept.
/// Each entry is measured once per activation (its serialized size is remembered beside it), so adding an answer
/// serializes only that answer, not the whole log again.
/// </summary>
/// <param name="keyOf">The entry's key (<see cref="Domain.Requests.RequestKey.Of"/>).</param>
public sealed class AnswerLog<T>(Serializer serializer, Func<T, string> keyOf, int maxEntries, int maxBytes = StateLimits.MaxAnswerLogBytes)
{
    // The serialized size of each entry of the log, in the log's order; measured again when the log was replaced.
    private List<int> _sizes = [];

    /// <summary>The answer remembered under <paramref name="key"/>, or the default when there is none (or no key).</summary>
    public T? Find(List<T> log, string? key) => key is null ? default : log.Find(entry => keyOf(entry) == key);

    public void Add(List<T> log, T entry)
    {
        if (_sizes.Count != log.Count)
        {
            _sizes = log.Select(Size).ToList();
        }

        log.Add(entry);
        _sizes.Add(Size(entry));
        var drop = Math.Max(0, log.Count - maxEntries);
        var total = _sizes.Skip(drop).Sum();
        while (total > maxBytes && drop < log.Count - 1)
        {
            total -= _sizes[drop++];
        }

        log.RemoveRange(0, drop);
        _sizes.RemoveRange(0, drop);
    }

    private int Size(T entry) => serializer.SerializeToArray(entry).Length;
}
