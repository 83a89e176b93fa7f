using System.Collections.Concurrent;

namespace RAOrchestrator.Server.Security;

/// <summary>
/// Remembers tokens that passed validation, with what they say about their caller, so a partner's integration (which
/// sends the same bearer token on every call for its whole lifetime) pays for parsing, signature checking and claim
/// reading once instead of per call.
/// </summary>
/// <remarks>
/// Only valid tokens are kept, keyed by their exact text (same bytes, same signature, same claims), and each entry
/// lapses at the token's own expiry (without the validator's clock skew, so never later than validation would allow)
/// or after <paramref name="maxAge"/>, whichever comes first: a signing key withdrawn from the issuer's metadata stops
/// being honoured within <paramref name="maxAge"/>.
/// <para>
/// The cache never holds more than <paramref name="capacity"/> entries, so its memory stays bounded whatever callers
/// send. When a new token finds it full, lapsed entries are swept and, if that frees nothing, the least recently used
/// eighth is evicted (at least one entry). Least recently used rather than soonest to expire: every entry's lapse is at
/// most <paramref name="maxAge"/> after it was remembered, so a flood of fresh tokens would always lapse later than the
/// busy integration's entry and evict it first, whereas recency keeps the tokens that are actually being sent. Evicting
/// an eighth at once shares the cost of one pass over the entries among the next capacity/8 new tokens. An evicted
/// token is simply validated again on its next use.
/// </para>
/// Lookups take the token as a span of the header and only stamp the entry's last use (at most once a millisecond, so
/// a token sent from every core does not keep its entry's cache line bouncing), so a hit allocates nothing.
/// </remarks>
public sealed class ValidatedTokenCache(TimeProvider time, int capacity, TimeSpan maxAge)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    // Serializes additions (the miss path, which just paid for a full validation) so eviction keeps Count <= capacity.
    private readonly Lock _adding = new();

    public int Count => _entries.Count;

    /// <summary>The claims of a remembered token that has not lapsed.</summary>
    public bool TryGet(ReadOnlySpan<char> token, out PartnerClaims claims)
    {
        var entries = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
        if (entries.TryGetValue(token, out var key, out var entry))
        {
            var now = time.GetUtcNow();
            if (now < entry.Until)
            {
                entry.Touch(now.UtcTicks);
                claims = entry.Claims;
                return true;
            }

            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }

        claims = null!;
        return false;
    }

    /// <summary>Remembers a token that was just validated and expires at <paramref name="validTo"/> (UTC).</summary>
    public void Remember(string token, PartnerClaims claims, DateTime validTo)
    {
        if (capacity <= 0 || validTo == DateTime.MinValue)
        {
            return;
        }

        var now = time.GetUtcNow();
        var expires = new DateTimeOffset(DateTime.SpecifyKind(validTo, DateTimeKind.Utc));
        var until = expires < now + maxAge ? expires : now + maxAge;
        if (until <= now)
        {
            return;
        }

        lock (_adding)
        {
            if (!_entries.ContainsKey(token))
            {
                MakeRoom(now);
            }

            _entries[token] = new Entry(claims, until, now.UtcTicks);
        }
    }

    /// <summary>Frees at least one place when the cache is full: lapsed entries first, else the least recently used eighth.</summary>
    private void MakeRoom(DateTimeOffset now)
    {
        if (_entries.Count < capacity)
        {
            return;
        }

        var live = new List<KeyValuePair<string, Entry>>(_entries.Count);
        foreach (var pair in _entries)
        {
            if (pair.Value.Until <= now)
            {
                _entries.TryRemove(pair);
            }
            else
            {
                live.Add(pair);
            }
        }

        if (live.Count < capacity)
        {
            return;
        }

        live.Sort(static (a, b) => a.Value.LastUsed.CompareTo(b.Value.LastUsed));
        var evict = Math.Max(live.Count - capacity + 1, capacity / 8);
        for (var i = 0; i < evict; i++)
        {
            _entries.TryRemove(live[i]);
        }
    }

    /// <summary>One remembered token; compared by reference, so a removal never takes a newer entry for the same token.</summary>
    private sealed class Entry(PartnerClaims claims, DateTimeOffset until, long lastUsed)
    {
        private long _lastUsed = lastUsed;

        public PartnerClaims Claims { get; } = claims;

        public DateTimeOffset Until { get; } = until;

        /// <summary>UTC ticks of the last hit (or of remembering).</summary>
        public long LastUsed => Volatile.Read(ref _lastUsed);

        public void Touch(long utcTicks)
        {
            if (utcTicks - Volatile.Read(ref _lastUsed) >= TimeSpan.TicksPerMillisecond)
            {
                Volatile.Write(ref _lastUsed, utcTicks);
            }
        }
    }
}
