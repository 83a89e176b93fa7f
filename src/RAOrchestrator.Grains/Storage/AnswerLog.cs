using Orleans.Serialization;

namespace RAOrchestrator.Grains.Storage;

/// <summary>
/// Logs of answers kept for retries (oldest first) stay within a count and a byte budget
/// (<see cref="StateLimits.MaxAnswerLogBytes"/>): the oldest answers go first; the newest is always kept.
/// </summary>
public static class AnswerLog
{
    public static void Trim<T>(List<T> log, int maxEntries, Serializer serializer, int maxBytes = StateLimits.MaxAnswerLogBytes)
    {
        if (log.Count > maxEntries)
        {
            log.RemoveRange(0, log.Count - maxEntries);
        }

        var sizes = log.Select(entry => serializer.SerializeToArray(entry).Length).ToList();
        var total = sizes.Sum();
        var drop = 0;
        while (total > maxBytes && drop < log.Count - 1)
        {
            total -= sizes[drop++];
        }

        log.RemoveRange(0, drop);
    }
}
